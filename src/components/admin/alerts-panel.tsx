"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { api, type RouterOutputs } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

const tone = { CRITICAL: "red", WARNING: "yellow", INFO: "blue" } as const;
const severities = ["CRITICAL", "WARNING", "INFO"] as const;
const statuses = ["open", "acknowledged", "all"] as const;
type Alert = RouterOutputs["alerts"]["open"][number];
type AlertTextParams = Record<string, string | number | Date>;

/**
 * An alert's title and message in the reader's language: `kind.<kind>.title` / `.message` of alerts.json with the
 * alert's params (ISO dates of keys ending in `At` become dates, formatted in the locale; a missing value reads as
 * "none" for the messages' select); a kind without wording, or params that do not fit it, shows the stored text.
 */
export function useAlertText() {
  const t = useTranslations("alerts");
  const te = useTranslations("errors");
  return (alert: Pick<Alert, "kind" | "title" | "message" | "params">) => {
    const stored = alert.params && typeof alert.params === "object" && !Array.isArray(alert.params) ? alert.params : null;
    // an alert raised before alerts carried params, or a kind without wording, reads as it was stored
    if (!stored || !t.has(`kind.${alert.kind}.title`) || !t.has(`kind.${alert.kind}.message`)) {
      return { title: alert.title, message: alert.message };
    }
    const params: AlertTextParams = {};
    for (const [key, value] of Object.entries(stored)) {
      if (value === null || value === undefined) params[key] = "none";
      else if (key.endsWith("At") && typeof value === "string") params[key] = new Date(value);
      else if (typeof value === "string" || typeof value === "number") params[key] = value;
    }
    // a broadcast stopped by one of our error codes says why in the reader's language (a line without placeholders)
    if (typeof params.errorCode === "string" && te.has(`code.${params.errorCode}`)) {
      const line = te.raw(`code.${params.errorCode}`);
      if (typeof line === "string" && !line.includes("{")) params.reason = line;
    }
    return { title: t(`kind.${alert.kind}.title`, params), message: t(`kind.${alert.kind}.message`, params) };
  };
}

function AlertBody({ alert }: { alert: Alert }) {
  const t = useTranslations("alerts");
  const format = useFormatter();
  const text = useAlertText()(alert);
  return (
    <div className="min-w-0">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tone[alert.severity]}>{t(`severity.${alert.severity}`)}</Badge>
        <span className="text-sm font-semibold" data-testid="alert-title">
          {text.title}
        </span>
        {alert.occurrences > 1 && <span className="text-xs text-stone-700">{t("times", { count: alert.occurrences })}</span>}
      </div>
      <p className="mt-1 text-sm text-stone-800">{text.message}</p>
      <p className="mt-1 text-xs text-stone-700">
        {t("lastSeen", { when: format.relativeTime(alert.lastSeenAt) })}
        {alert.phoneNumberId && (
          <>
            {" · "}
            <Link href={`/admin/numbers/${alert.phoneNumberId}`} className="text-brand-700 underline">
              {t("openNumber")}
            </Link>
          </>
        )}
      </p>
    </div>
  );
}

/** Open alerts, newest first, each with what happened, what to do, and an acknowledge button. */
export function AlertsPanel() {
  const t = useTranslations("alerts");
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const toast = useToast();
  const alerts = api.alerts.open.useQuery(undefined, { refetchInterval: 15_000 });
  const acknowledge = api.alerts.acknowledge.useMutation({
    onSuccess: () => {
      void utils.alerts.open.invalidate();
      void utils.alerts.history.invalidate();
    },
    onError: (error) => toast("error", t("ackFailed", { message: errorMessage(error) })),
  });
  const footer = (
    <p className="mt-3 text-sm">
      <Link href="/admin/alerts" className="text-brand-700 underline">
        {t("history")}
      </Link>
    </p>
  );
  if (alerts.data?.length === 0) {
    return (
      <>
        <EmptyState title={t("empty.title")} icon="✓">
          {t("empty.body")}
        </EmptyState>
        {footer}
      </>
    );
  }
  return (
    <>
      <ul className="divide-y divide-stone-100" data-testid="alerts">
        {alerts.data?.map((alert) => (
          <li key={alert.id} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
            <AlertBody alert={alert} />
            <button
              type="button"
              onClick={() => acknowledge.mutate({ alertId: alert.id })}
              className="min-h-11 shrink-0 self-start rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
            >
              {t("acknowledge")}
            </button>
          </li>
        ))}
      </ul>
      {footer}
    </>
  );
}

/** The alerts page: open and acknowledged alerts with who acknowledged them and when, filtered. */
export function AlertsHistory({ initialStatus = "all" }: { initialStatus?: string }) {
  const t = useTranslations("alerts");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const toast = useToast();
  const utils = api.useUtils();
  const [status, setStatus] = useState<(typeof statuses)[number]>(
    (statuses as readonly string[]).includes(initialStatus) ? (initialStatus as (typeof statuses)[number]) : "all",
  );
  const [severity, setSeverity] = useState<"" | (typeof severities)[number]>("");
  const [kind, setKind] = useState("");
  const [page, setPage] = useState(1);
  const history = api.alerts.history.useQuery({ status, severity: severity || undefined, kind: kind || undefined, page });
  const acknowledge = api.alerts.acknowledge.useMutation({
    onSuccess: () => {
      void utils.alerts.history.invalidate();
      void utils.alerts.open.invalidate();
    },
    onError: (error) => toast("error", t("ackFailed", { message: errorMessage(error) })),
  });
  const data = history.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const select = "min-h-11 rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label={t("filters.label")}>
        <label className="text-sm">
          <span className="block text-stone-700">{t("filters.status")}</span>
          <select className={select} value={status} onChange={(e) => (setStatus(e.target.value as typeof status), setPage(1))}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-stone-700">{t("filters.severity")}</span>
          <select className={select} value={severity} onChange={(e) => (setSeverity(e.target.value as typeof severity), setPage(1))}>
            <option value="">{t("filters.anySeverity")}</option>
            {severities.map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-stone-700">{t("filters.kind")}</span>
          <select className={select} value={kind} onChange={(e) => (setKind(e.target.value), setPage(1))}>
            <option value="">{t("filters.anyKind")}</option>
            {data?.kinds.map((k) => (
              <option key={k} value={k}>
                {t.has(`kind.${k}.label`) ? t(`kind.${k}.label`) : k.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </label>
        {data && <span className="pb-3 text-sm text-stone-700">{t("total", { count: data.total })}</span>}
      </div>
      {!data ? (
        <p className="text-sm text-stone-700">{t("loading")}</p>
      ) : data.alerts.length === 0 ? (
        <EmptyState title={t("empty.noMatch")} icon="✓">
          {t("empty.body")}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white" data-testid="alerts-history">
          {data.alerts.map((alert) => (
            <li
              key={alert.id}
              className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start sm:justify-between"
              data-testid="alert-row"
              data-acknowledged={alert.acknowledgedAt ? "true" : "false"}
            >
              <div className="min-w-0">
                <AlertBody alert={alert} />
                {alert.tenantName && <p className="mt-1 text-xs text-stone-700">{t("bakery", { name: alert.tenantName })}</p>}
              </div>
              {alert.acknowledgedAt ? (
                <p className="shrink-0 text-sm text-stone-800 sm:text-right" data-testid="acknowledged-by">
                  <Badge tone="gray">{t("acknowledgedBadge")}</Badge>
                  <span className="mt-1 block">
                    {t("acknowledgedBy", {
                      who: alert.acknowledgedBy?.name ?? alert.acknowledgedBy?.email ?? t("someone"),
                      when: format.dateTime(alert.acknowledgedAt, { dateStyle: "medium", timeStyle: "short" }),
                    })}
                  </span>
                </p>
              ) : (
                <button
                  type="button"
                  onClick={() => acknowledge.mutate({ alertId: alert.id })}
                  className="min-h-11 shrink-0 self-start rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
                >
                  {t("acknowledge")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <div className="flex items-center justify-end gap-3 text-sm">
          <button
            type="button"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
            className="min-h-11 rounded-md border border-stone-300 px-3"
          >
            {t("pager.previous")}
          </button>
          <span>{t("pager.page", { page, pages })}</span>
          <button
            type="button"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
            className="min-h-11 rounded-md border border-stone-300 px-3"
          >
            {t("pager.next")}
          </button>
        </div>
      )}
    </div>
  );
}

/** The header's reminder: how many alerts are waiting, until they are acknowledged; opens the alerts page. */
export function AlertsIndicator() {
  const t = useTranslations("alerts");
  const alerts = api.alerts.open.useQuery(undefined, { refetchInterval: 30_000 });
  const count = alerts.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <Link
      href="/admin/alerts?status=open"
      className="inline-flex min-h-11 items-center rounded-full bg-red-700 px-3 py-1 text-xs font-semibold text-white"
      data-testid="alerts-indicator"
    >
      {t("indicator", { count })}
    </Link>
  );
}
