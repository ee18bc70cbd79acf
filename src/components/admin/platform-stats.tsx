"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { DeliveryRateCharts } from "@/components/charts/delivery-rate-charts";
import { DeliveryFigures } from "@/components/messaging/delivery-figures";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

const keys = ["tenants", "owners", "phoneNumbers", "assignedNumbers"] as const;

export function PlatformStats() {
  const t = useTranslations("ops.platform");
  const errorMessage = useErrorMessage();
  const stats = api.admin.stats.useQuery();
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
      {keys.map((key) => (
        <div key={key} className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm">
          <dt className="text-sm text-stone-600">{t(`stat.${key}`)}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`stat-${key}`}>
            {stats.data ? stats.data[key] : <span className="inline-block h-7 w-10 animate-pulse rounded bg-stone-100" />}
          </dd>
        </div>
      ))}
      {stats.error && <p className="col-span-full text-sm text-red-700">{t("loadError", { message: errorMessage(stats.error) })}</p>}
    </dl>
  );
}

/**
 * What waits to be processed, as /api/health counts it: job outbox, webhook items (and those failing or in
 * quarantine), messages still waiting for Meta. Refreshed every 30 s.
 */
export function PlatformBacklog() {
  const t = useTranslations("ops.backlog");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const backlog = api.admin.backlog.useQuery(undefined, { refetchInterval: 30_000 });
  if (backlog.error) return <p className="text-sm text-red-700">{t("loadError", { message: errorMessage(backlog.error) })}</p>;
  if (!backlog.data) return <div className="h-16 animate-pulse rounded bg-stone-100" />;
  const { jobOutbox, webhooks, pendingMessages } = backlog.data;
  const since = (iso: string | null) => (iso ? t("oldest", { when: format.relativeTime(new Date(iso)) }) : t("none"));
  const rows = [
    {
      key: "jobs",
      value: jobOutbox.waiting,
      note: jobOutbox.failing > 0 ? t("jobsFailing", { count: jobOutbox.failing }) : since(jobOutbox.oldest_waiting_at),
      warn: jobOutbox.failing > 0,
    },
    {
      key: "webhooks",
      value: webhooks.backlog,
      note: webhooks.failing > 0 ? t("webhooksFailing", { count: webhooks.failing }) : since(webhooks.oldest_waiting_at),
      warn: webhooks.failing > 0,
    },
    {
      key: "quarantined",
      value: webhooks.quarantined,
      note: webhooks.quarantined > 0 ? t("quarantinedNote") : t("none"),
      warn: webhooks.quarantined > 0,
    },
    { key: "pendingMessages", value: pendingMessages, note: t("pendingNote"), warn: false },
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3" data-testid="platform-backlog">
      {rows.map((row) => (
        <div key={row.key} className="rounded-lg border border-stone-200 p-3">
          <dt className="text-xs text-stone-600">{t(`label.${row.key}`)}</dt>
          <dd
            className={`text-xl font-semibold tabular-nums ${row.warn ? "text-red-700" : "text-stone-900"}`}
            data-testid={`backlog-${row.key}`}
          >
            {format.number(row.value)}
          </dd>
          <dd className={`text-xs ${row.warn ? "text-red-800" : "text-stone-500"}`}>{row.note}</dd>
        </div>
      ))}
    </dl>
  );
}

/** All bakeries' messages of the last days: how many were delivered, read, or failed. */
export function PlatformDeliveryHealth() {
  const t = useTranslations("ops.platform");
  const errorMessage = useErrorMessage();
  const stats = api.admin.stats.useQuery();
  if (stats.error) return <p className="text-sm text-red-700">{t("loadError", { message: errorMessage(stats.error) })}</p>;
  if (!stats.data) return <div className="h-16 animate-pulse rounded bg-stone-100" />;
  if (stats.data.lastDays.total === 0) {
    return <EmptyState title={t("noMessagesTitle")}>{t("noMessagesBody")}</EmptyState>;
  }
  return <DeliveryFigures figures={stats.data.lastDays} />;
}

/** 30 days of the rates, the platform's or one bakery's (picked here), each against its threshold. */
export function PlatformRateCharts() {
  const t = useTranslations("ops.platform");
  const [tenantId, setTenantId] = useState("");
  const tenants = api.tenants.list.useQuery({ page: 1, pageSize: 100 });
  const rates = api.admin.deliveryRates.useQuery(tenantId ? { tenantId } : undefined);
  return (
    <div className="space-y-4">
      <label className="block text-sm sm:flex sm:items-center sm:gap-3">
        <span className="text-stone-600">{t("chartsFor")}</span>
        <select
          value={tenantId}
          onChange={(e) => setTenantId(e.target.value)}
          className="mt-1 min-h-11 w-full rounded-md border border-stone-300 px-2 sm:mt-0 sm:w-auto"
          data-testid="rates-bakery"
        >
          <option value="">{t("allBakeries")}</option>
          {tenants.data?.tenants.map((tenant) => (
            <option key={tenant.id} value={tenant.id}>
              {tenant.name}
            </option>
          ))}
        </select>
      </label>
      <DeliveryRateCharts data={rates.data} error={rates.error} />
    </div>
  );
}
