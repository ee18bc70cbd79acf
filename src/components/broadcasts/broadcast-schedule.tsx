"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useAppErrorText } from "@/components/messaging/app-error-text";
import { broadcastStateOf } from "@/components/broadcasts/broadcast-state";
import { wallTimeOf, type WallTime } from "@/lib/zoned-time";
import { api } from "@/trpc/react";

const input = "min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";

/**
 * A draft broadcast's start: when a scheduled one starts (in the bakery's time zone), moving it, starting it now or
 * cancelling it; why a scheduled start was refused. Self-contained (its own queries); renders nothing once the
 * broadcast has started. Placed on /broadcasts/[id].
 */
export function BroadcastSchedule({ broadcastId }: { broadcastId: string }) {
  const t = useTranslations("broadcasts");
  const format = useFormatter();
  const toast = useToast();
  const errorText = useAppErrorText("broadcasts");
  const ids = useId();
  const utils = api.useUtils();
  const progress = api.broadcasts.progress.useQuery({ broadcastId });
  const scheduling = api.broadcasts.scheduling.useQuery();
  const timeZone = scheduling.data?.timeZone ?? "Europe/Madrid";
  const [editing, setEditing] = useState<WallTime | null>(null);
  const [inAnHour] = useState(() => new Date(Date.now() + 3_600_000));
  const [confirmCancel, setConfirmCancel] = useState(false);
  const refresh = () => Promise.all([utils.broadcasts.progress.invalidate({ broadcastId }), utils.broadcasts.list.invalidate()]);
  const onError = (e: Parameters<typeof errorText>[0]) => toast("error", errorText(e));
  const reschedule = api.broadcasts.reschedule.useMutation({
    onSuccess: () => (toast("success", t("schedule.moved")), setEditing(null), refresh()),
    onError,
  });
  const start = api.broadcasts.start.useMutation({ onSuccess: () => (toast("success", t("schedule.startedNow")), refresh()), onError });
  const cancel = api.broadcasts.cancel.useMutation({
    onSuccess: () => (toast("success", t("schedule.cancelled")), setConfirmCancel(false), refresh()),
    onError,
  });

  const p = progress.data;
  if (!p || p.status !== "DRAFT") return null;
  const state = broadcastStateOf(p);
  const refusedCode = p.stoppedReason?.startsWith("scheduled_start_refused:") ? p.stoppedReason.split(":")[1] : null;
  const when = p.scheduledAt ? format.dateTime(new Date(p.scheduledAt), { dateStyle: "full", timeStyle: "short", timeZone }) : null;
  const form = editing ?? (p.scheduledAt ? wallTimeOf(new Date(p.scheduledAt), timeZone) : wallTimeOf(inAnHour, timeZone));

  return (
    <Card title={t("schedule.title")}>
      <div className="space-y-4" data-testid="broadcast-schedule">
        {state.key === "scheduled" && when && (
          <p className="text-sm text-stone-800">
            {t.rich("schedule.startsAt", { when, timeZone, b: (chunks) => <strong>{chunks}</strong> })}
          </p>
        )}
        {state.key === "scheduleRefused" && (
          <p className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {t("schedule.refused", { reason: errorText({ data: { appCode: refusedCode } }) })}
          </p>
        )}
        {state.key === "draft" && <p className="text-sm text-stone-700">{t("schedule.notScheduled")}</p>}
        <form
          className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            reschedule.mutate({ broadcastId, schedule: form });
          }}
        >
          <div>
            <label htmlFor={`${ids}-date`} className="mb-1 block text-sm font-medium text-stone-800">
              {t("form.date")}
            </label>
            <input
              id={`${ids}-date`}
              type="date"
              className={input}
              value={form.date}
              onChange={(e) => setEditing({ ...form, date: e.target.value })}
              required
            />
          </div>
          <div>
            <label htmlFor={`${ids}-time`} className="mb-1 block text-sm font-medium text-stone-800">
              {t("form.time")}
            </label>
            <input
              id={`${ids}-time`}
              type="time"
              className={input}
              value={form.time}
              onChange={(e) => setEditing({ ...form, time: e.target.value })}
              required
            />
          </div>
          <button
            type="submit"
            disabled={reschedule.isPending}
            className="min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
          >
            {p.scheduledAt ? t("schedule.move") : t("schedule.set")}
          </button>
        </form>
        <p className="text-xs text-stone-600">{t("schedule.zone", { timeZone })}</p>
        <div className="flex flex-col gap-2 sm:flex-row">
          <button
            type="button"
            disabled={start.isPending}
            onClick={() => start.mutate({ broadcastId })}
            className="min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-900 disabled:opacity-50"
          >
            {t("schedule.startNow")}
          </button>
          <button
            type="button"
            onClick={() => setConfirmCancel(true)}
            className="min-h-11 rounded-md border border-red-300 bg-white px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50"
          >
            {t("schedule.cancel")}
          </button>
        </div>
        {confirmCancel && (
          <div
            role="alertdialog"
            aria-labelledby={`${ids}-cancel-title`}
            className="rounded-md border border-red-200 bg-red-50 p-3 text-sm"
          >
            <p id={`${ids}-cancel-title`} className="font-semibold text-red-900">
              {t("schedule.cancelTitle")}
            </p>
            <p className="mt-1 text-red-900">{t("schedule.cancelBody")}</p>
            <div className="mt-3 flex flex-col gap-2 sm:flex-row">
              <button
                type="button"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate({ broadcastId })}
                className="min-h-11 rounded-md bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800 disabled:opacity-50"
              >
                {t("schedule.cancelConfirm")}
              </button>
              <button
                type="button"
                onClick={() => setConfirmCancel(false)}
                className="min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 font-medium hover:bg-stone-50"
              >
                {t("schedule.keep")}
              </button>
            </div>
          </div>
        )}
      </div>
    </Card>
  );
}
