"use client";

import { useTranslations } from "next-intl";
import { api } from "@/trpc/react";

/**
 * "Contact support" as links: the e-mail (mailto) and/or the help page the platform admin set in Admin →
 * Support contact. Until one is set it says so plainly instead of showing a dead link.
 */
export function SupportLink({ subject, className = "" }: { subject?: string; className?: string }) {
  const t = useTranslations("settings.support");
  const support = api.settings.supportContact.useQuery(undefined, { staleTime: 5 * 60_000 });
  if (!support.data) return null;
  const { email, url } = support.data;
  if (!email && !url) return <span className={className}>{t("notSet")}</span>;
  const mailto = email ? `mailto:${email}${subject ? `?subject=${encodeURIComponent(subject)}` : ""}` : null;
  return (
    <span className={`inline-flex flex-wrap items-center gap-x-3 gap-y-1 ${className}`} data-testid="support-link">
      {mailto && (
        <a href={mailto} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline">
          {t("email", { email: email! })}
        </a>
      )}
      {url && (
        <a href={url} target="_blank" rel="noreferrer" className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline">
          {t("page")}
        </a>
      )}
    </span>
  );
}
