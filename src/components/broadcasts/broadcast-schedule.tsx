"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useAppErrorText } from "@/components/messaging/app-error-text";
import { broadcastStateOf } from "@/components/broadcasts/broadcast-state";
import { useTimeZoneName } from "@/components/settings/time-zone-name";
import { wallTimeOf, type WallTime } from "@/lib/zoned-time";
import { api } from "@/trpc/react";

const input = "min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";
const labelText = "mb-1 block text-sm font-medium text-stone-800";
/** as far ahead as the server accepts a start (maxScheduleAheadDays in src/server/broadcasts/lifecycle.ts) */
const maxScheduleDays = 90;
const pad = (n: number) => String(n).padStart(2, "0");

/** YYYY-MM-DD of the day `days` after a wall date (calendar arithmetic, no zone involved). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A start typed as a date and a time in the bakery's zone, written in the user's locale whatever the browser's
 * language (native date/time inputs follow the browser, not the page): the date is chosen among the days a
 * broadcast can be scheduled on ("vie, 5 dic 2026"), the time as hour and minutes (24 h, or "9 AM" in English).
 */
export function ScheduleFields({
  value,
  onChange,
  timeZone,
  idPrefix,
}: {
  value: WallTime;
  onChange: (next: WallTime) => void;
  timeZone: string;
  idPrefix: string;
}) {
  const t = useTranslations("broadcasts");
  const format = useFormatter();
  const [today] = useState(() => wallTimeOf(new Date(), timeZone).date);
  const days = Array.from({ length: maxScheduleDays + 1 }, (_, i) => addDays(today, i));
  if (!days.includes(value.date)) days.unshift(value.date);
  const [hour = "09", minute = "00"] = value.time.split(":");
  const dayLabel = (date: string) =>
    format.dateTime(new Date(`${date}T12:00:00Z`), { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const hourLabel = (h: number) => format.dateTime(new Date(Date.UTC(2026, 0, 1, h)), { hour: "2-digit", timeZone: "UTC" });
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-date`} className={labelText}>
          {t("form.date")}
        </label>
        <select id={`${idPrefix}-date`} className={input} value={value.date} onChange={(e) => onChange({ ...value, date: e.target.value })}>
          {days.map((date) => (
            <option key={date} value={date}>
              {dayLabel(date)}
            </option>
          ))}
        </select>
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label htmlFor={`${idPrefix}-time`} className={labelText}>
            {t("form.time")}
          </label>
          <select
            id={`${idPrefix}-time`}
            className={input}
            value={hour}
            onChange={(e) => onChange({ ...value, time: `${e.target.value}:${minute}` })}
          >
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={pad(h)}>
                {hourLabel(h)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${idPrefix}-minute`} className={labelText}>
            {t("form.minute")}
          </label>
          <select
            id={`${idPrefix}-minute`}
            className={input}
            value={minute}
            onChange={(e) => onChange({ ...value, time: `${hour}:${e.target.value}` })}
          >
            {Array.from({ length: 60 }, (_, m) => (
              <option key={m} value={pad(m)}>
                {pad(m)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </>
  );
}

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
  const zone = useTimeZoneName(timeZone);
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
          <p className="text-sm text-stone-800">{t.rich("schedule.startsAt", { when, zone, b: (chunks) => <strong>{chunks}</strong> })}</p>
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
          <ScheduleFields value={form} onChange={setEditing} timeZone={timeZone} idPrefix={ids} />
          <button
            type="submit"
            disabled={reschedule.isPending}
            className="min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
          >
            {p.scheduledAt ? t("schedule.move") : t("schedule.set")}
          </button>
        </form>
        <p className="text-xs text-stone-600">{t("schedule.zone", { zone })}</p>
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
