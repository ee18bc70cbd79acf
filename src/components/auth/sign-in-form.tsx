"use client";

import { getCsrfToken } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { sameOriginPath } from "@/lib/same-origin-path";

/**
 * Posts to NextAuth's credentials callback itself (not next-auth/react's signIn) to read a 429 and its message.
 * method="post" and the action make even a form that never hydrated send the password in the body, never in the URL.
 */
export function SignInForm() {
  const t = useTranslations("auth");
  const router = useRouter();
  const searchParams = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const body = new URLSearchParams({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        csrfToken: (await getCsrfToken()) ?? "",
        callbackUrl: window.location.origin,
        json: "true",
      });
      const response = await fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
      const answer = (await response.json().catch(() => ({}))) as { url?: string; reason?: string; retryAfterSeconds?: number };
      if (response.status === 429) {
        const minutes = Math.max(1, Math.ceil((answer.retryAfterSeconds ?? 60) / 60));
        setError(t(answer.reason === "account" ? "tooManyAccount" : "tooManyNetwork", { minutes }));
        return;
      }
      const failed = !response.ok || !answer.url || new URL(answer.url, window.location.origin).searchParams.has("error");
      if (failed) {
        setError(t("wrongPassword"));
        return;
      }
      // "/" sends admins to /admin and owners to their dashboard (src/proxy.ts)
      router.replace(sameOriginPath(searchParams.get("callbackUrl")));
      router.refresh();
    } catch {
      setError(t("unreachable"));
    } finally {
      setPending(false);
    }
  }

  const input =
    "mt-1 block min-h-11 w-full rounded-md border border-stone-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 sm:text-sm";
  return (
    <form method="post" action="/api/auth/callback/credentials" onSubmit={onSubmit} className="space-y-4" noValidate>
      <label className="block">
        <span className="text-sm font-medium text-stone-700">{t("email")}</span>
        <input name="email" type="email" autoComplete="username" required className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-stone-700">{t("password")}</span>
        <input name="password" type="password" autoComplete="current-password" required className={input} />
      </label>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="min-h-11 w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? t("signingIn") : t("signIn")}
      </button>
    </form>
  );
}
