"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { dateTime, timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { healthFieldTitles, onboardingTones, readHealthField } from "@/components/health/health-fields";
import { api, type RouterOutputs } from "@/trpc/react";

type View = RouterOutputs["health"]["number"];
type AttemptOutcome = RouterOutputs["health"]["completeRegistration"];

/** While onboarding is in progress the page asks again every few seconds (and the server reads Meta afresh). */
const liveIntervalMs = 3_000;

export function NumberHealth({ phoneNumberId }: { phoneNumberId: string }) {
  const [tab, setTab] = useState<"health" | "registration">("health");
  const view = api.health.number.useQuery(
    { phoneNumberId, live: true },
    { refetchInterval: (query) => (query.state.data?.onboarding.inProgress ? liveIntervalMs : false) },
  );

  if (view.error) return <p className="text-sm text-red-700">Could not load the number: {view.error.message}</p>;
  if (!view.data) return <p className="text-sm text-stone-500">Loading the number…</p>;
  const n = view.data;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-stone-500">
            <Link href="/admin/numbers" className="underline">
              Phone numbers
            </Link>{" "}
            /
          </p>
          <h1 className="font-mono text-2xl font-semibold text-stone-900" data-testid="number-title">
            {n.displayPhoneNumber}
          </h1>
          <p className="mt-1 text-sm text-stone-600">
            {n.verifiedName ? <>Shown as “{n.verifiedName}” · </> : null}
            {n.account.kind === "MASTER" ? "Shared account" : `Own account of ${n.assignedTo?.tenantName ?? n.account.name}`} ·{" "}
            {n.assignedTo ? (
              <>
                assigned to <strong>{n.assignedTo.tenantName}</strong>
              </>
            ) : (
              "not assigned"
            )}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a
            href={n.whatsappManagerUrl}
            target="_blank"
            rel="noreferrer"
            className="rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium hover:bg-stone-50"
            data-testid="wa-manager-link"
          >
            Open in WhatsApp Manager ↗
          </a>
          <CheckNowButton phoneNumberId={n.id} />
        </div>
      </div>

      <RegistrationBanner view={n} />

      <div role="tablist" className="flex gap-1 border-b border-stone-200">
        {(
          [
            ["health", "Account Health"],
            ["registration", `Registration (${n.attempts.length})`],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            role="tab"
            type="button"
            aria-selected={tab === id}
            onClick={() => setTab(id)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${tab === id ? "border-brand-600 text-brand-700" : "border-transparent text-stone-600 hover:text-stone-900"}`}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === "health" ? <AccountHealthTab view={n} /> : <RegistrationTab view={n} />}
    </div>
  );
}

function CheckNowButton({ phoneNumberId }: { phoneNumberId: string }) {
  const utils = api.useUtils();
  const toast = useToast();
  const check = api.health.check.useMutation({
    onSuccess: async (r) => {
      await utils.health.number.invalidate();
      toast(
        r.ok ? "success" : "error",
        r.ok
          ? r.changed
            ? `${r.changed} field${r.changed === 1 ? "" : "s"} changed.`
            : "Checked: nothing changed."
          : `Meta did not answer: ${r.error}`,
      );
    },
    onError: (e) => toast("error", e.message),
  });
  return (
    <button
      type="button"
      onClick={() => check.mutate({ phoneNumberId })}
      disabled={check.isPending}
      className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
    >
      {check.isPending ? "Checking…" : "Check now"}
    </button>
  );
}

function RegistrationBanner({ view }: { view: View }) {
  const utils = api.useUtils();
  const toast = useToast();
  const [outcome, setOutcome] = useState<AttemptOutcome | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const complete = api.health.completeRegistration.useMutation({
    onSuccess: async (r) => {
      setOutcome(r);
      await utils.health.number.invalidate();
    },
    onError: (e) => toast("error", `Registration not tried: ${e.message}`),
  });
  const reset = api.health.resetOnboarding.useMutation({
    onSuccess: async () => {
      setConfirmReset(false);
      setOutcome(null);
      await utils.health.number.invalidate();
      toast("success", "Onboarding started over.");
    },
    onError: (e) => toast("error", e.message),
  });

  const o = view.onboarding;
  const tone = onboardingTones[o.tone] ?? onboardingTones.gray!;
  const connected = o.state === "CONNECTED";
  if (connected) {
    return (
      <div
        className={`flex items-center gap-3 rounded-xl border px-5 py-3 ${tone.banner}`}
        data-testid="registration-banner"
        data-state="CONNECTED"
      >
        <span className={`h-2.5 w-2.5 rounded-full ${tone.dot}`} aria-hidden />
        <p className="text-sm">
          <strong data-testid="onboarding-label">{o.label}</strong> — {o.meaning}
        </p>
      </div>
    );
  }
  return (
    <div
      className={`rounded-xl border px-5 py-4 ${tone.banner}`}
      data-testid="registration-banner"
      data-state={o.state ?? "UNKNOWN"}
      aria-live="polite"
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl space-y-1">
          <p className="flex items-center gap-2 font-semibold">
            <span className={`h-2.5 w-2.5 rounded-full ${tone.dot} ${o.inProgress ? "animate-pulse" : ""}`} aria-hidden />
            <span data-testid="onboarding-label">{o.label}</span>
            {o.stuckAt && <Badge tone="red">Stuck since {timeAgo(o.stuckAt)}</Badge>}
          </p>
          <p className="text-sm">{o.meaning}</p>
          <p className="text-xs opacity-80">
            In this state {o.since ? timeAgo(o.since) : "—"}
            {o.timeoutAt ? ` · counts as stuck after ${dateTime(o.timeoutAt)}` : ""} · {view.budget.used} of 10 registration tries used in
            the last 72 hours
            {view.lastHealthCheckAt ? ` · checked ${timeAgo(view.lastHealthCheckAt)}` : ""}
            {o.inProgress ? " · updating live" : ""}
          </p>
          {outcome && (
            <p className="mt-2 rounded-md bg-white/70 px-3 py-2 text-sm" data-testid="registration-outcome" role="status">
              <strong>Last attempt:</strong> {outcome.message}
              {outcome.metaCode ? ` (Meta ${outcome.metaCode}${outcome.metaSubcode ? `/${outcome.metaSubcode}` : ""})` : ""}
              {outcome.retryable && !outcome.retryScheduled
                ? " (The background retry could not be queued right now; the next scheduled health check queues it.)"
                : ""}
            </p>
          )}
          {view.lastHealthCheckError && <p className="text-sm text-red-800">Last reading failed: {view.lastHealthCheckError}</p>}
        </div>
        <div className="flex flex-col gap-2">
          <button
            type="button"
            onClick={() => complete.mutate({ phoneNumberId: view.id })}
            disabled={complete.isPending || view.budget.left === 0}
            className="rounded-md bg-stone-900 px-4 py-2 text-sm font-semibold text-white hover:bg-stone-700 disabled:opacity-60"
          >
            {complete.isPending ? "Registering…" : "Complete registration"}
          </button>
          <button
            type="button"
            onClick={() => setConfirmReset(true)}
            className="rounded-md border border-current px-4 py-2 text-sm font-medium hover:bg-white/60"
          >
            Reset onboarding
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={confirmReset}
        title="Start onboarding over?"
        confirmLabel="Reset onboarding"
        tone="warning"
        busy={reset.isPending}
        onConfirm={() => reset.mutate({ phoneNumberId: view.id })}
        onCancel={() => setConfirmReset(false)}
      >
        The stuck mark and the current state are cleared, Recado reads the number from Meta again and, if needed, starts registering it. The
        history stays on the timeline, and past tries still count toward Meta&apos;s 10 per 72 hours.
      </ConfirmDialog>
    </div>
  );
}

function AccountHealthTab({ view }: { view: View }) {
  const entities = view.healthDetails?.entities ?? [];
  return (
    <div className="space-y-6" role="tabpanel" aria-label="Account Health">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {Object.entries(view.fields).map(([field, value]) => {
          const r = readHealthField(field, value);
          return (
            <div key={field} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm" data-testid={`field-${field}`}>
              <p className="text-xs font-semibold uppercase tracking-wide text-stone-500">{healthFieldTitles[field] ?? field}</p>
              <div className="mt-2">
                <Badge tone={r.tone}>{r.label}</Badge>
              </div>
              <p className="mt-2 text-xs text-stone-600">{r.meaning}</p>
            </div>
          );
        })}
      </div>

      {entities.some((e) => (e.additionalInfo?.length ?? 0) > 0 || (e.errors?.length ?? 0) > 0) && (
        <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
          <h2 className="text-base font-semibold">What limits sending</h2>
          <ul className="mt-3 space-y-2 text-sm">
            {entities.flatMap((e) => [
              ...(e.additionalInfo ?? []).map((info, i) => (
                <li key={`${e.entityType}-i${i}`}>
                  <Badge tone="yellow">{e.entityType}</Badge> {info}
                </li>
              )),
              ...(e.errors ?? []).map((err, i) => (
                <li key={`${e.entityType}-e${i}`}>
                  <Badge tone="red">{e.entityType}</Badge> {err.description}{" "}
                  {err.possibleSolution ? <em className="text-stone-600">— {err.possibleSolution}</em> : null}
                </li>
              )),
            ])}
          </ul>
        </section>
      )}

      <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
        <h2 className="text-base font-semibold">Timeline</h2>
        <p className="text-sm text-stone-600">
          Every change Recado saw, newest first: from health checks, Meta&apos;s webhooks and registration.
        </p>
        {view.timeline.length === 0 ? (
          <p className="mt-3 text-sm text-stone-500">No changes recorded yet.</p>
        ) : (
          <ol className="mt-4 space-y-2 border-l-2 border-stone-200 pl-4" data-testid="timeline">
            {view.timeline.map((e) => (
              <li key={e.id} className="text-sm">
                <span className="text-xs text-stone-500">
                  {dateTime(e.createdAt)} · {e.source}
                </span>
                <p>
                  <strong>{healthFieldTitles[e.field] ?? timelineFieldTitle(e.field)}</strong>:{" "}
                  {e.previousValue ? <span className="text-stone-500 line-through">{e.previousValue}</span> : null}
                  {e.previousValue ? " → " : ""}
                  <span>{e.newValue ?? "cleared"}</span>
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function timelineFieldTitle(field: string) {
  return (
    (
      {
        onboardingState: "Onboarding",
        stuck: "Stuck",
        accountEvent: "Account event",
        qualityEvent: "Quality event",
        accountAlert: "Meta alert",
        accountReview: "Account review",
        verifiedName: "Verified name",
      } as Record<string, string>
    )[field] ?? field
  );
}

const outcomeText: Record<string, { tone: "green" | "blue" | "red" | "yellow"; label: string }> = {
  SUCCEEDED: { tone: "green", label: "Registered" },
  PENDING_PROVISIONING: { tone: "blue", label: "Meta not ready" },
  LIMIT_REACHED: { tone: "red", label: "Limit reached" },
  FAILED: { tone: "red", label: "Failed" },
};

function RegistrationTab({ view }: { view: View }) {
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm" role="tabpanel" aria-label="Registration">
      <h2 className="text-base font-semibold">Registration attempts</h2>
      <p className="text-sm text-stone-600">
        Meta allows 10 register calls per number in any 72 hours; {view.budget.left} left now. Each call is listed with Meta&apos;s answer.
      </p>
      {/* budget bar: easier to see than to read */}
      <div className="mt-3 flex gap-1" aria-label={`${view.budget.used} of 10 used`}>
        {Array.from({ length: 10 }, (_, i) => (
          <span key={i} className={`h-2 flex-1 rounded ${i < view.budget.used ? "bg-amber-500" : "bg-stone-200"}`} />
        ))}
      </div>
      {view.attempts.length === 0 ? (
        <p className="mt-4 text-sm text-stone-500">No register calls yet.</p>
      ) : (
        <table className="mt-4 min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-stone-500">
            <tr>
              <th className="py-2">When</th>
              <th>Started by</th>
              <th>Outcome</th>
              <th>Meta code</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {view.attempts.map((a) => (
              <tr key={a.id}>
                <td className="py-2">{dateTime(a.attemptedAt)}</td>
                <td>{a.trigger}</td>
                <td>
                  <Badge tone={outcomeText[a.outcome]?.tone ?? "gray"}>{outcomeText[a.outcome]?.label ?? a.outcome}</Badge>
                </td>
                <td className="font-mono">{a.metaCode ? `${a.metaCode}${a.metaSubcode ? `/${a.metaSubcode}` : ""}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
