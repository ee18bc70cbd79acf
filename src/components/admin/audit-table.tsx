"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { downloadFile } from "@/components/ui/download";
import { api } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

/** Actions with a name of their own in audit.json; any other shows as "Other change". */
const knownActions = [
  "phone_number.assigned",
  "phone_number.unassigned",
  "whatsapp_settings.updated",
  "contact.opt_in",
  "contact.opt_out",
  "alert.acknowledge",
  "api_key.create",
  "api_key.revoke",
  "broadcast.start",
  "broadcast.pause",
  "broadcast.resume",
  "broadcast.cancel",
  "number.complete_registration",
  "number.onboarding_reset",
  "metrics.threshold_changed",
  "template.submitted",
  "template.created",
  "template.approved",
  "template.rejected",
  "template.status_changed",
  "template.category_changed",
  "webhook_item.rerun",
  "whatsapp.own_account_connected",
  "whatsapp.own_account_reauthorized",
  "retention.purged",
  "gdpr.contact_exported",
  "gdpr.contact_erased",
  "gdpr.owner_exported",
  "gdpr.owner_erased",
];
const knownFields = [
  "optedIn",
  "status",
  "enabled",
  "language",
  "threshold",
  "minSample",
  "category",
  "rejectedReason",
  "revokedAt",
  "acknowledgedAt",
  "onboardingState",
  "stuckAt",
  "displayPhoneNumber",
  "total",
  "name",
  "prefix",
  "kind",
  "outcome",
  "retryScheduled",
];
const hiddenFields = new Set(["phoneNumberId", "metaPhoneNumberId"]);
const actionKey = (action: string) => (knownActions.includes(action) ? action.replace(".", "_") : "other");

export function AuditTable() {
  const t = useTranslations("audit");
  const [view, setView] = useState<"changes" | "sends">("changes");
  const [tenantId, setTenantId] = useState("");
  const tenants = api.audit.tenants.useQuery();
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label={t("views")} className="flex gap-2">
        {(["changes", "sends"] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            onClick={() => setView(v)}
            className={`min-h-11 rounded-md px-4 text-sm font-medium ${view === v ? "bg-stone-900 text-white" : "border border-stone-300 hover:bg-stone-50"}`}
          >
            {t(`view.${v}`)}
          </button>
        ))}
      </div>
      <p className="text-sm text-stone-600">{t(`viewHelp.${view}`)}</p>
      <label className="block text-sm">
        <span className="block text-stone-600">{t("filter.bakery")}</span>
        <select
          value={tenantId}
          onChange={(e) => setTenantId(e.target.value)}
          aria-label={t("filter.bakeryName")}
          className="mt-1 min-h-11 w-full rounded-md border border-stone-300 px-2 sm:w-auto"
        >
          <option value="">{t("filter.everyBakery")}</option>
          {tenants.data?.map((tenant) => (
            <option key={tenant.id} value={tenant.id}>
              {tenant.name}
            </option>
          ))}
        </select>
      </label>
      {view === "changes" ? <Changes key={tenantId} tenantId={tenantId} /> : <Sends key={tenantId} tenantId={tenantId} />}
    </div>
  );
}

function Changes({ tenantId }: { tenantId: string }) {
  const t = useTranslations("audit");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [page, setPage] = useState(1);
  const actions = api.audit.actions.useQuery();
  const filters = { action: action || undefined, actor: actor || undefined, tenantId: tenantId || undefined };
  const log = api.audit.list.useQuery({ ...filters, page, pageSize: 25 }, { placeholderData: (p) => p });
  const exportCsv = api.audit.exportCsv.useMutation({ onSuccess: downloadFile });
  const pages = log.data ? Math.max(1, Math.ceil(log.data.total / log.data.pageSize)) : 1;
  const when = (date: Date | string) => format.dateTime(new Date(date), { dateStyle: "medium", timeStyle: "short" });

  const valueText = (value: unknown): string => {
    if (value === null || value === undefined) return t("value.none");
    if (typeof value === "boolean") return value ? t("value.yes") : t("value.no");
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return when(value);
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  };
  const describe = (value: unknown) => {
    if (!value || typeof value !== "object") return "—";
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !hiddenFields.has(key))
      .map(([key, v]) => `${knownFields.includes(key) ? t(`field.${key}`) : key}: ${valueText(v)}`);
    return parts.join(", ") || t("value.none");
  };
  const label = (a: string) => t(`action.${actionKey(a)}`, { action: a });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-stone-600">{t("filter.what")}</span>
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(1);
            }}
            aria-label={t("filter.whatName")}
            className="mt-1 min-h-11 rounded-md border border-stone-300 px-2"
          >
            <option value="">{t("filter.everything")}</option>
            {actions.data?.map((a) => (
              <option key={a} value={a}>
                {label(a)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-stone-600">{t("filter.who")}</span>
          <input
            value={actor}
            onChange={(e) => {
              setActor(e.target.value);
              setPage(1);
            }}
            placeholder={t("filter.whoPlaceholder")}
            aria-label={t("filter.whoName")}
            className="mt-1 min-h-11 rounded-md border border-stone-300 px-2"
          />
        </label>
        <button
          type="button"
          disabled={exportCsv.isPending}
          onClick={() => exportCsv.mutate(filters)}
          className="min-h-11 rounded-md border border-stone-300 px-4 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
        >
          {exportCsv.isPending ? t("exporting") : t("export")}
        </button>
      </div>
      {exportCsv.error && <p className="text-sm text-red-700">{t("exportError", { message: errorMessage(exportCsv.error) })}</p>}
      {log.error && <p className="text-sm text-red-700">{t("loadError", { message: errorMessage(log.error) })}</p>}
      {log.data && log.data.total === 0 ? (
        <EmptyState title={t("empty.title")} icon="≡">
          {t("empty.body")}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <table className="min-w-full text-sm">
            <thead className="hidden bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-500 md:table-header-group">
              <tr>
                <th className="px-4 py-3">{t("column.when")}</th>
                <th className="px-4 py-3">{t("column.who")}</th>
                <th className="px-4 py-3">{t("column.what")}</th>
                <th className="px-4 py-3">{t("column.bakery")}</th>
                <th className="px-4 py-3">{t("column.before")}</th>
                <th className="px-4 py-3">{t("column.after")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {log.data?.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" className="block p-4 md:table-row md:p-0">
                  <td className="block text-stone-600 md:table-cell md:whitespace-nowrap md:px-4 md:py-3">{when(e.createdAt)}</td>
                  <td className="block break-all md:table-cell md:px-4 md:py-3">{e.actorLabel}</td>
                  <td className="block font-medium md:table-cell md:px-4 md:py-3">{label(e.action)}</td>
                  <td className="block md:table-cell md:px-4 md:py-3">{e.tenantName ?? "—"}</td>
                  <td className="block break-words text-stone-600 md:table-cell md:px-4 md:py-3">
                    <span className="font-medium md:hidden">{t("column.before")}: </span>
                    {describe(e.before)}
                  </td>
                  <td className="block break-words text-stone-600 md:table-cell md:px-4 md:py-3">
                    <span className="font-medium md:hidden">{t("column.after")}: </span>
                    {describe(e.after)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} onPage={setPage} />
    </div>
  );
}

const sendStatuses = ["PENDING", "SENT", "DELIVERED", "READ", "FAILED"];
const sendSources = ["ui", "api", "test", "broadcast", "webhook"];
const failureCodes = ["RECIPIENT_NOT_ON_WHATSAPP", "TEMPLATE_NOT_APPROVED", "RATE_LIMIT_EXCEEDED", "TOKEN_EXPIRED", "CONTACT_NOT_OPTED_IN"];

/** The message log's sends, for the admin: when, which bakery, what, to whom (last digits), how far it got. */
function Sends({ tenantId }: { tenantId: string }) {
  const t = useTranslations("audit");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const [page, setPage] = useState(1);
  const sends = api.audit.sends.useQuery({ tenantId: tenantId || undefined, page, pageSize: 25 }, { placeholderData: (p) => p });
  const pages = sends.data ? Math.max(1, Math.ceil(sends.data.total / sends.data.pageSize)) : 1;
  if (sends.error) return <p className="text-sm text-red-700">{t("loadError", { message: errorMessage(sends.error) })}</p>;
  if (sends.data && sends.data.total === 0) return <EmptyState title={t("sends.emptyTitle")}>{t("sends.emptyBody")}</EmptyState>;
  return (
    <div className="space-y-4">
      <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white shadow-sm" data-testid="audit-sends">
        {sends.data?.sends.map((m) => (
          <li key={m.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 p-4 text-sm" data-testid="audit-send">
            <div className="min-w-0">
              <p className="font-medium text-stone-900">
                {m.templateName ? t("sends.template", { name: m.templateName }) : t("sends.text")}
                {m.broadcast ? ` · ${t("sends.broadcast", { name: m.broadcast.name })}` : ""}
              </p>
              <p className="text-stone-600">
                {m.tenantName} · {t(`sends.source.${sendSources.includes(m.source) ? m.source : "other"}`)} ·{" "}
                {m.recipientEnding ? t("sends.to", { ending: m.recipientEnding }) : t("sends.toErased")}
              </p>
            </div>
            <div className="text-right">
              <p className={m.status === "FAILED" ? "font-medium text-red-700" : "text-stone-900"}>
                {t(`sends.status.${sendStatuses.includes(m.status) ? m.status : "PENDING"}`)}
              </p>
              {m.status === "FAILED" && (
                <p className="text-xs text-red-800">
                  {t(`sends.why.${failureCodes.includes(m.appErrorCode ?? "") ? m.appErrorCode : "other"}`)}
                </p>
              )}
              <p className="text-xs text-stone-500">
                {format.dateTime(new Date(m.createdAt), { dateStyle: "medium", timeStyle: "short" })}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <Pager page={page} pages={pages} onPage={setPage} />
    </div>
  );
}
