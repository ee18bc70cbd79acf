"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { isLocale, localeCookie, localeNames, locales, type Locale } from "@/i18n/locales";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/** The pre-sign-in choice and the mirror of a signed-in user's: read by src/i18n/request.ts. A year, whole site. */
function rememberLocale(locale: Locale) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${localeCookie}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

/**
 * The interface language, applied at once (the page is rendered again in it). Signed out, the choice is kept in
 * the recado_locale cookie; signed in, it is also stored on the user (account.setLocale) for every device.
 */
export function LanguageMenu({ signedIn, className = "" }: { signedIn: boolean; className?: string }) {
  const t = useTranslations("account.language");
  const locale = useLocale();
  const router = useRouter();
  const toast = useToast();
  const errorMessage = useErrorMessage();
  const id = useId();
  const [refreshing, startRefresh] = useTransition();
  const save = api.account.setLocale.useMutation({ onError: (error) => toast("error", errorMessage(error)) });

  async function choose(value: string) {
    if (!isLocale(value) || value === locale) return;
    if (signedIn) {
      // a refusal is shown by onError; the page stays in its language
      const saved = await save.mutateAsync({ locale: value }).catch(() => null);
      if (!saved) return;
    }
    rememberLocale(value);
    startRefresh(() => router.refresh());
  }

  return (
    <div className={`flex items-center gap-2 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-stone-700">
        {t("label")}
      </label>
      <select
        id={id}
        value={locale}
        disabled={save.isPending || refreshing}
        onChange={(event) => void choose(event.target.value)}
        className="min-h-11 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm sm:min-h-0 sm:py-1.5"
        data-testid="language-menu"
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
