"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { languageLabel } from "@/lib/languages";
import { api } from "@/trpc/react";

/** Every template of every account with the bakery it belongs to; platform templates are shared by all bakeries. */
export function TemplateOwners() {
  const t = useTranslations("admin.templateOwners");
  const errorMessage = useErrorMessage();
  const templates = api.templates.adminList.useQuery();
  if (!templates.data) return <p className="text-sm text-stone-600">{templates.error ? errorMessage(templates.error) : t("loading")}</p>;
  if (templates.data.length === 0) return <p className="text-sm text-stone-600">{t("empty")}</p>;
  return (
    // scrolls inside its box both ways: a phone never pans the page sideways
    <div className="max-h-80 overflow-auto" tabIndex={0} role="region" aria-label={t("label")}>
      <table className="w-full min-w-[28rem] text-sm" data-testid="template-owners">
        <thead className="text-left text-stone-600">
          <tr>
            <th className="py-1 pr-3">{t("template")}</th>
            <th className="py-1 pr-3">{t("language")}</th>
            <th className="py-1 pr-3">{t("status")}</th>
            <th className="py-1">{t("belongsTo")}</th>
          </tr>
        </thead>
        <tbody>
          {templates.data.map((template) => (
            <tr key={template.id} className="border-t border-stone-100">
              <td className="py-1 pr-3 font-mono break-all">
                {template.name}
                {template.metaName !== template.name && (
                  <div className="text-xs text-stone-600">{t("onMeta", { name: template.metaName })}</div>
                )}
              </td>
              <td className="py-1 pr-3">{languageLabel(template.language)}</td>
              <td className="py-1 pr-3">{t(`templateStatus.${template.status in templateStatuses ? template.status : "OTHER"}`)}</td>
              <td className="py-1">{template.owner ? template.owner.name : <Badge tone="blue">{t("platform")}</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Meta's template statuses we word (messages/<locale>/admin.json); any other reads "unknown state". */
const templateStatuses = {
  APPROVED: 1,
  PENDING: 1,
  REJECTED: 1,
  PAUSED: 1,
  DISABLED: 1,
  IN_APPEAL: 1,
  PENDING_DELETION: 1,
  DELETED: 1,
  ARCHIVED: 1,
  LIMIT_EXCEEDED: 1,
} as const;
