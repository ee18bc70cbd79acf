"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { BroadcastRates, type BroadcastRate } from "@/components/charts/broadcast-rates";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { StackedBar } from "@/components/ui/stacked-bar";
import { useToast } from "@/components/ui/toast";
import { EditBroadcast } from "@/components/broadcasts/new-broadcast";
import { api } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

const statusTone: Record<string, BadgeTone> = {
  DRAFT: "gray",
  SENDING: "blue",
  PAUSED: "yellow",
  COMPLETED: "green",
  CANCELLED: "gray",
  STOPPED: "red",
};
const failureReasons = [
  "not_on_whatsapp",
  "invalid_number",
  "rate_limited",
  "opted_out",
  "token_expired",
  "template_problem",
  "interrupted",
  "other",
];

export function BroadcastDetail({ broadcastId }: { broadcastId: string }) {
  const t = useTranslations("ops.broadcast");
  const tb = useTranslations("broadcasts");
  const [editing, setEditing] = useState(false);
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const toast = useToast();
  const utils = api.useUtils();
  const progress = api.broadcasts.progress.useQuery(
    { broadcastId },
    // live while it runs; a little longer after, while delivered/read receipts still arrive
    { refetchInterval: (query) => (query.state.data && ["SENDING", "PAUSED"].includes(query.state.data.status) ? 1_000 : 5_000) },
  );
  const finished = progress.data && !["SENDING", "PAUSED", "DRAFT"].includes(progress.data.status);
  const rates = api.broadcasts.rates.useQuery({ broadcastId }, { refetchInterval: finished ? 10_000 : 3_000 });
  const refresh = () =>
    Promise.all([utils.broadcasts.progress.invalidate({ broadcastId }), utils.broadcasts.rates.invalidate({ broadcastId })]);
  const onError = (error: unknown) => toast("error", errorMessage(error));
  const pause = api.broadcasts.pause.useMutation({ onSuccess: () => (toast("success", t("toast.paused")), refresh()), onError });
  const resume = api.broadcasts.resume.useMutation({ onSuccess: () => (toast("success", t("toast.resumed")), refresh()), onError });
  const cancel = api.broadcasts.cancel.useMutation({
    onSuccess: () => (toast("success", t("toast.cancelled")), setConfirmCancel(false), refresh()),
    onError,
  });
  const [confirmCancel, setConfirmCancel] = useState(false);

  const p = progress.data;
  if (progress.error) return <p className="rounded-md bg-red-50 p-4 text-sm text-red-800">{errorMessage(progress.error)}</p>;
  if (!p) return <p className="text-sm text-stone-500">{t("loading")}</p>;
  const statusKey = statusTone[p.status] ? p.status : "DRAFT";
  const status = { label: t(`status.${statusKey}.label`), tone: statusTone[statusKey]!, explain: t(`status.${statusKey}.explain`) };
  const n = (value: number) => format.number(value);
  const done = p.sent + p.failed + p.cancelled;
  const percent = p.total ? Math.round((done / p.total) * 100) : 0;
  const sentOnly = p.sent - p.delivered;
  const deliveredOnly = p.delivered - p.read;

  return (
    <>
      <PageHeader
        title={p.name}
        description={
          p.startedAt
            ? t("descriptionStarted", {
                template: p.templateName,
                language: p.templateLanguage,
                started: format.dateTime(new Date(p.startedAt), { dateStyle: "medium", timeStyle: "short" }),
              })
            : t("description", { template: p.templateName, language: p.templateLanguage })
        }
      />
      <p className="mb-4 text-sm">
        <Link href="/broadcasts" className="text-emerald-800 hover:underline">
          {t("back")}
        </Link>
      </p>
      <div className="space-y-6">
        {p.status === "DRAFT" &&
          (editing ? (
            <EditBroadcast broadcastId={broadcastId} onDone={() => setEditing(false)} />
          ) : (
            <button
              type="button"
              onClick={() => setEditing(true)}
              className="min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50"
              data-testid="edit-broadcast"
            >
              {tb("schedule.edit")}
            </button>
          ))}
        <Card title={t("progress")}>
          <div className="flex flex-wrap items-center justify-between gap-4">
            <div className="flex flex-wrap items-center gap-3">
              <Badge tone={status.tone}>{status.label}</Badge>
              <span className="text-sm text-stone-600">{status.explain}</span>
            </div>
            <div className="flex gap-2">
              {p.status === "SENDING" && (
                <button
                  className="min-h-11 rounded-md border border-stone-300 px-4 text-sm hover:bg-stone-50"
                  onClick={() => pause.mutate({ broadcastId })}
                >
                  {t("pause")}
                </button>
              )}
              {p.status === "PAUSED" && (
                <button
                  className="min-h-11 rounded-md border border-stone-300 px-4 text-sm hover:bg-stone-50"
                  onClick={() => resume.mutate({ broadcastId })}
                >
                  {t("resume")}
                </button>
              )}
              {["SENDING", "PAUSED"].includes(p.status) && (
                <button
                  className="min-h-11 rounded-md border border-red-300 px-4 text-sm text-red-800 hover:bg-red-50"
                  onClick={() => setConfirmCancel(true)}
                >
                  {t("cancel")}
                </button>
              )}
            </div>
          </div>
          {p.stoppedReason && <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">{t("why", { reason: p.stoppedReason })}</p>}

          <div
            className="mt-5"
            role="progressbar"
            aria-label={t("progressName")}
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <StackedBar
              label={t("barLabel")}
              total={p.total}
              parts={[
                { label: t("count.read"), value: p.read, className: "bg-emerald-700" },
                { label: t("count.delivered"), value: deliveredOnly, className: "bg-emerald-500" },
                { label: t("count.sent"), value: sentOnly, className: "bg-sky-400" },
                { label: t("count.failed"), value: p.failed, className: "bg-red-400" },
                { label: t("count.cancelled"), value: p.cancelled, className: "bg-stone-300" },
              ]}
            />
            <p className="mt-2 text-sm text-stone-600">{t("turns", { done: n(done), total: n(p.total), percent })}</p>
          </div>

          <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-6">
            {(
              [
                ["total", p.total, "text-stone-900"],
                ["sent", p.sent, "text-sky-700"],
                ["delivered", p.delivered, "text-emerald-600"],
                ["read", p.read, "text-emerald-800"],
                ["failed", p.failed, "text-red-700"],
                ["waiting", p.pending, "text-stone-500"],
              ] as const
            ).map(([key, value, tone]) => (
              <div key={key} className="rounded-lg border border-stone-200 bg-white p-3" data-testid={`count-${key}`}>
                <dt className="text-xs uppercase tracking-wide text-stone-500">{t(`count.${key}`)}</dt>
                <dd className={`text-2xl font-semibold ${tone}`}>{n(value)}</dd>
              </div>
            ))}
          </dl>
        </Card>

        <Card title={t("rates.title")} description={t("rates.description")}>
          {rates.error ? (
            <p className="text-sm text-red-700">{t("rates.loadError", { message: errorMessage(rates.error) })}</p>
          ) : rates.data ? (
            <BroadcastRates rates={rates.data.rates as BroadcastRate[]} />
          ) : (
            <div className="h-24 animate-pulse rounded bg-stone-100" />
          )}
        </Card>

        <Card title={t("summary.title")} description={t("summary.description")}>
          <div className="grid gap-6 sm:grid-cols-2">
            <div>
              <h3 className="text-sm font-medium text-stone-800">{t("summary.leftOut")}</h3>
              <ul className="mt-2 text-sm text-stone-600">
                <li>{t("summary.notOptedIn", { count: n(p.excluded.optedOut) })}</li>
                <li>{t("summary.notOnWhatsApp", { count: n(p.excluded.notOnWhatsApp) })}</li>
                <li>{t("summary.invalid", { count: n(p.excluded.invalid) })}</li>
              </ul>
            </div>
            <div>
              <h3 className="text-sm font-medium text-stone-800">{t("summary.failed")}</h3>
              {Object.keys(p.failureBreakdown).length === 0 ? (
                <p className="mt-2 text-sm text-stone-600">{t("summary.noneFailed")}</p>
              ) : (
                <ul className="mt-2 text-sm text-stone-600" data-testid="failure-breakdown">
                  {Object.entries(p.failureBreakdown).map(([reason, count]) => (
                    <li key={reason}>
                      {t(`reason.${failureReasons.includes(reason) ? reason : "other"}`)}: {n(count)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
          <a
            href={`/api/broadcasts/${broadcastId}/recipients.csv`}
            className="mt-4 inline-block py-2 text-sm font-medium text-emerald-800 hover:underline"
          >
            {t("summary.download")}
          </a>
        </Card>
      </div>
      <ConfirmDialog
        open={confirmCancel}
        title={t("confirmCancel.title")}
        confirmLabel={t("confirmCancel.confirm")}
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate({ broadcastId })}
        onCancel={() => setConfirmCancel(false)}
      >
        {t("confirmCancel.body")}
      </ConfirmDialog>
    </>
  );
}
