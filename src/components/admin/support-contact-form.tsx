"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { SupportLink } from "@/components/settings/support-link";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/** The admin's form for the support e-mail and help page owners see (settings.updateSupportContact). */
export function SupportContactForm() {
  const current = api.settings.supportContact.useQuery();
  if (!current.data) return null;
  return <SupportContactFields initial={current.data} />;
}

function SupportContactFields({ initial }: { initial: { email: string | null; url: string | null } }) {
  const t = useTranslations("settings.support.admin");
  const toast = useToast();
  const utils = api.useUtils();
  const [email, setEmail] = useState(initial.email ?? "");
  const [url, setUrl] = useState(initial.url ?? "");
  const [problems, setProblems] = useState<{ email?: string; url?: string }>({});
  const save = api.settings.updateSupportContact.useMutation({
    onSuccess: () => {
      setProblems({});
      toast("success", t("saved"));
      void utils.settings.supportContact.invalidate();
    },
    onError: (e) => {
      const fields = (e.data?.fieldErrors ?? {}) as Record<string, unknown>;
      const found = { ...(fields.email ? { email: t("emailInvalid") } : {}), ...(fields.url ? { url: t("urlInvalid") } : {}) };
      if (found.email || found.url) setProblems(found);
      else toast("error", t("notSaved", { message: e.message }));
    },
  });
  const field = "mt-1 block min-h-11 w-full rounded-md border px-3 py-1.5";
  return (
    <Card>
      <form
        className="grid max-w-xl gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ email: email.trim(), url: url.trim() });
        }}
      >
        <label className="text-sm">
          {t("email")}
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder={t("emailPlaceholder")}
            aria-invalid={problems.email ? true : undefined}
            aria-describedby={problems.email ? "support-email-problem" : undefined}
            className={`${field} ${problems.email ? "border-red-600" : "border-stone-300"}`}
          />
          {problems.email && (
            <span id="support-email-problem" role="alert" className="mt-1 block text-sm text-red-800">
              {problems.email}
            </span>
          )}
        </label>
        <label className="text-sm">
          {t("url")}
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={t("urlPlaceholder")}
            aria-invalid={problems.url ? true : undefined}
            aria-describedby={problems.url ? "support-url-problem" : undefined}
            className={`${field} ${problems.url ? "border-red-600" : "border-stone-300"}`}
          />
          {problems.url && (
            <span id="support-url-problem" role="alert" className="mt-1 block text-sm text-red-800">
              {problems.url}
            </span>
          )}
        </label>
        <div>
          <button
            type="submit"
            disabled={save.isPending}
            className="min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900 disabled:opacity-50"
          >
            {save.isPending ? t("saving") : t("save")}
          </button>
        </div>
        <p className="text-sm text-stone-700">
          {t("preview")} <SupportLink />
        </p>
      </form>
    </Card>
  );
}
