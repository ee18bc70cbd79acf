"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { useToast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { fieldTitle, onboardingTones, readHealthField, timelineValue } from "@/components/health/health-fields";
import { api, type RouterOutputs } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

type View = RouterOutputs["health"]["number"];
type AttemptOutcome = RouterOutputs["health"]["completeRegistration"];

/** While onboarding is in progress the page asks again every few seconds (and the server reads Meta afresh). */
const liveIntervalMs = 3_000;

export function NumberHealth({ phoneNumberId }: { phoneNumberId: string }) {
  const t = useTranslations("health");
  const errorMessage = useErrorMessage();
  const [tab, setTab] = useState<"health" | "registration">("health");
  const view = api.health.number.useQuery(
    { phoneNumberId, live: true },
    { refetchInterval: (query) => (query.state.data?.onboarding.inProgress ? liveIntervalMs : false) },
  );

  if (view.error) return <p className="text-sm text-red-800">{t("loadFailed", { message: errorMessage(view.error) })}</p>;
  if (!view.data) return <p className="text-sm text-stone-700">{t("loading")}</p>;
  const n = view.data;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-stone-700">
            <Link href="/admin/numbers" className="underline">
              {t("breadcrumb")}
            </Link>{" "}
            /
          </p>
          <h1 className="font-mono text-2xl font-semibold text-stone-900" data-testid="number-title">
            {n.displayPhoneNumber}
          </h1>
          <p className="mt-1 text-sm text-stone-700">
            {n.verifiedName ? <>{t("shownAs", { name: n.verifiedName })} · </> : null}
            {n.account.kind === "MASTER"
              ? t("sharedAccount")
              : t("ownAccount", { name: n.assignedTo?.tenantName ?? n.account.name })} ·{" "}
            {n.assignedTo
              ? t.rich("assignedTo", { name: n.assignedTo.tenantName, b: (chunks) => <strong>{chunks}</strong> })
              : t("notAssigned")}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a
            href={n.whatsappManagerUrl}
            target="_blank"
            rel="noreferrer"
            className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium hover:bg-stone-50"
            data-testid="wa-manager-link"
          >
            {t("waManager")}
          </a>
          <CheckNowButton phoneNumberId={n.id} />
        </div>
      </div>

      <RegistrationBanner view={n} />

      <div role="tablist" className="flex gap-1 overflow-x-auto border-b border-stone-200">
        {(
          [
            ["health", t("tabs.health")],
            ["registration", t("tabs.registration", { count: n.attempts.length })],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            role="tab"
            type="button"
            aria-selected={tab === id}
            onClick={() => setTab(id)}
            className={`-mb-px min-h-11 whitespace-nowrap border-b-2 px-4 py-2 text-sm font-medium ${tab === id ? "border-brand-600 text-brand-700" : "border-transparent text-stone-700 hover:text-stone-900"}`}
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
  const t = useTranslations("health.check");
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const toast = useToast();
  const check = api.health.check.useMutation({
    onSuccess: async (r) => {
      await utils.health.number.invalidate();
      toast(r.ok ? "success" : "error", r.ok ? t("changed", { count: r.changed }) : t("failed", { message: r.error ?? "" }));
    },
    onError: (e) => toast("error", errorMessage(e)),
  });
  return (
    <button
      type="button"
      onClick={() => check.mutate({ phoneNumberId })}
      disabled={check.isPending}
      className="min-h-11 rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
    >
      {check.isPending ? t("busy") : t("button")}
    </button>
  );
}

/**
 * A registration attempt's outcome in the reader's language, from its code (health.json `attemptMessage.<code>`);
 * a failure caused by one of our error codes says it with that code's line (errors.json), else with Meta's words.
 */
function useAttemptText() {
  const t = useTranslations("health");
  const te = useTranslations("errors");
  return (outcome: AttemptOutcome) => {
    if (!t.has(`attemptMessage.${outcome.code}`)) return outcome.message;
    const params: Record<string, string | Date> = {};
    for (const [key, value] of Object.entries(outcome.params ?? {})) {
      if (value === null || value === undefined) continue;
      params[key] = key.endsWith("At") ? new Date(String(value)) : String(value);
    }
    const code = params.errorCode;
    if (typeof code === "string" && te.has(`code.${code}`)) {
      const line = te.raw(`code.${code}`);
      if (typeof line === "string" && !line.includes("{")) params.detail = line;
    }
    // the detail sits inside a sentence: without its own closing full stop
    params.detail = typeof params.detail === "string" ? params.detail.replace(/\.\s*$/, "") : "—";
    return t(`attemptMessage.${outcome.code}`, params);
  };
}

function RegistrationBanner({ view }: { view: View }) {
  const t = useTranslations("health");
  const errorMessage = useErrorMessage();
  const attemptText = useAttemptText();
  const format = useFormatter();
  const utils = api.useUtils();
  const toast = useToast();
  const [outcome, setOutcome] = useState<AttemptOutcome | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const complete = api.health.completeRegistration.useMutation({
    onSuccess: async (r) => {
      setOutcome(r);
      await utils.health.number.invalidate();
    },
    onError: (e) => toast("error", t("banner.notTried", { message: errorMessage(e) })),
  });
  const reset = api.health.resetOnboarding.useMutation({
    onSuccess: async () => {
      setConfirmReset(false);
      setOutcome(null);
      await utils.health.number.invalidate();
      toast("success", t("banner.resetDone"));
    },
    onError: (e) => toast("error", errorMessage(e)),
  });

  const o = view.onboarding;
  const stateKey = o.state ?? "none";
  const label = t(`onboarding.${stateKey}.label`);
  const meaning = t(`onboarding.${stateKey}.meaning`);
  const tone = onboardingTones[o.tone] ?? onboardingTones.gray!;
  if (o.state === "CONNECTED") {
    return (
      <div
        className={`flex items-center gap-3 rounded-xl border px-5 py-3 ${tone.banner}`}
        data-testid="registration-banner"
        data-state="CONNECTED"
      >
        <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${tone.dot}`} aria-hidden />
        <p className="text-sm">
          <strong data-testid="onboarding-label">{label}</strong> — {meaning}
        </p>
      </div>
    );
  }
  const details = [
    t("banner.since", { when: o.since ? format.relativeTime(o.since) : "—" }),
    o.timeoutAt ? t("banner.stuckAfter", { when: format.dateTime(o.timeoutAt, { dateStyle: "medium", timeStyle: "short" }) }) : null,
    t("banner.budget", { used: view.budget.used }),
    view.lastHealthCheckAt ? t("banner.checked", { when: format.relativeTime(view.lastHealthCheckAt) }) : null,
    o.inProgress ? t("banner.live") : null,
  ].filter(Boolean);
  return (
    <div
      className={`rounded-xl border px-5 py-4 ${tone.banner}`}
      data-testid="registration-banner"
      data-state={o.state ?? "UNKNOWN"}
      aria-live="polite"
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl space-y-1">
          <p className="flex flex-wrap items-center gap-2 font-semibold">
            <span className={`h-2.5 w-2.5 rounded-full ${tone.dot} ${o.inProgress ? "animate-pulse" : ""}`} aria-hidden />
            <span data-testid="onboarding-label">{label}</span>
            {o.stuckAt && <Badge tone="red">{t("banner.stuckSince", { when: format.relativeTime(o.stuckAt) })}</Badge>}
          </p>
          <p className="text-sm">{meaning}</p>
          <p className="text-xs">{details.join(" · ")}</p>
          {outcome && (
            <p className="mt-2 rounded-md bg-white/70 px-3 py-2 text-sm" data-testid="registration-outcome" role="status">
              <strong>{t("banner.lastAttempt")}</strong> {attemptText(outcome)}
              {outcome.metaCode
                ? ` ${t("banner.metaCode", { code: `${outcome.metaCode}${outcome.metaSubcode ? `/${outcome.metaSubcode}` : ""}` })}`
                : ""}
              {outcome.retryable && !outcome.retryScheduled ? ` ${t("banner.notQueued")}` : ""}
            </p>
          )}
          {view.lastHealthCheckError && (
            <p className="text-sm text-red-800">{t("banner.lastReadFailed", { message: view.lastHealthCheckError })}</p>
          )}
        </div>
        <div className="flex flex-col gap-2">
          <button
            type="button"
            onClick={() => complete.mutate({ phoneNumberId: view.id })}
            disabled={complete.isPending || view.budget.left === 0}
            className="min-h-11 rounded-md bg-stone-900 px-4 py-2 text-sm font-semibold text-white hover:bg-stone-700 disabled:opacity-60"
          >
            {complete.isPending ? t("banner.completing") : t("banner.complete")}
          </button>
          <button
            type="button"
            onClick={() => setConfirmReset(true)}
            className="min-h-11 rounded-md border border-current px-4 py-2 text-sm font-medium hover:bg-white/60"
          >
            {t("banner.reset")}
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={confirmReset}
        title={t("banner.resetTitle")}
        confirmLabel={t("banner.reset")}
        cancelLabel={t("banner.cancel")}
        busyLabel={t("banner.working")}
        tone="danger"
        busy={reset.isPending}
        onConfirm={() => reset.mutate({ phoneNumberId: view.id })}
        onCancel={() => setConfirmReset(false)}
      >
        <p>{t("banner.resetBody")}</p>
      </ConfirmDialog>
    </div>
  );
}

/** Meta's additional_info sentences the page knows, in the admin's language (others are shown as Meta wrote them). */
const knownInfo: [RegExp, "name" | "quality" | "limit"][] = [
  [/display name has not been approved/i, "name"],
  [/quality rating .* is low/i, "quality"],
  [/reached its messaging limit/i, "limit"],
];
/** A solution written for developers (an API path) is not shown: the page's own steps are. */
const developerText = /\bPOST\b|\bGET\b|\/\{|\{[a-z-]+\}|\bAPI\b/;

function AccountHealthTab({ view }: { view: View }) {
  const t = useTranslations("health");
  const format = useFormatter();
  const entities = view.healthDetails?.entities ?? [];
  const entityLabel = (type: string) => (t.has(`limits.entity.${type}`) ? t(`limits.entity.${type}`) : t("limits.entity.other"));
  return (
    <div className="space-y-6" role="tabpanel" aria-label={t("tabs.health")}>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {Object.entries(view.fields).map(([field, value]) => {
          const r = readHealthField(t, field, value);
          return (
            <div key={field} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm" data-testid={`field-${field}`}>
              <p className="text-xs font-semibold uppercase tracking-wide text-stone-700">{fieldTitle(t, field)}</p>
              <div className="mt-2">
                <Badge tone={r.tone}>{r.label}</Badge>
              </div>
              <p className="mt-2 text-xs text-stone-700">{r.meaning}</p>
            </div>
          );
        })}
      </div>

      {entities.some((e) => (e.additionalInfo?.length ?? 0) > 0 || (e.errors?.length ?? 0) > 0) && (
        <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm" data-testid="limits">
          <h2 className="text-base font-semibold">{t("limits.title")}</h2>
          <ul className="mt-3 space-y-2 text-sm">
            {entities.flatMap((e) => [
              ...(e.additionalInfo ?? []).map((info, i) => {
                const known = knownInfo.find(([pattern]) => pattern.test(info));
                return (
                  <li key={`${e.entityType}-i${i}`}>
                    <Badge tone="yellow">{entityLabel(e.entityType)}</Badge> {known ? t(`limits.info.${known[1]}`) : info}
                  </li>
                );
              }),
              ...(e.errors ?? []).map((err, i) => {
                const code = err.code ? String(err.code) : "";
                const steps = code && t.has(`limits.codes.${code}`) ? t(`limits.codes.${code}`) : null;
                return (
                  <li key={`${e.entityType}-e${i}`}>
                    <Badge tone="red">{entityLabel(e.entityType)}</Badge>{" "}
                    {steps ?? (
                      <>
                        {err.description}{" "}
                        {err.possibleSolution && !developerText.test(err.possibleSolution) ? (
                          <em className="text-stone-700">{t("limits.solution", { solution: err.possibleSolution })}</em>
                        ) : null}
                      </>
                    )}
                  </li>
                );
              }),
            ])}
          </ul>
        </section>
      )}

      <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
        <h2 className="text-base font-semibold">{t("timeline.title")}</h2>
        <p className="text-sm text-stone-700">{t("timeline.description")}</p>
        {view.timeline.length === 0 ? (
          <p className="mt-3 text-sm text-stone-700">{t("timeline.empty")}</p>
        ) : (
          <ol className="mt-4 space-y-2 border-l-2 border-stone-200 pl-4" data-testid="timeline">
            {view.timeline.map((e) => (
              <li key={e.id} className="text-sm">
                <span className="text-xs text-stone-700">
                  {format.dateTime(e.createdAt, { dateStyle: "medium", timeStyle: "short" })} ·{" "}
                  {t.has(`source.${e.source}`) ? t(`source.${e.source}`) : t("source.other")}
                </span>
                <p>
                  <strong>{fieldTitle(t, e.field)}</strong>:{" "}
                  {e.previousValue ? (
                    <span className="text-stone-700 line-through">{timelineValue(t, e.field, e.previousValue)}</span>
                  ) : null}
                  {e.previousValue ? " → " : ""}
                  <span>{timelineValue(t, e.field, e.newValue)}</span>
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function RegistrationTab({ view }: { view: View }) {
  const t = useTranslations("health.attempts");
  const format = useFormatter();
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm" role="tabpanel" aria-label={t("title")}>
      <h2 className="text-base font-semibold">{t("title")}</h2>
      <p className="text-sm text-stone-700">{t("description", { left: view.budget.left })}</p>
      {/* budget bar: easier to see than to read */}
      <div className="mt-3 flex gap-1" role="img" aria-label={t("budget", { used: view.budget.used })}>
        {Array.from({ length: 10 }, (_, i) => (
          <span key={i} className={`h-2 flex-1 rounded ${i < view.budget.used ? "bg-amber-500" : "bg-stone-200"}`} />
        ))}
      </div>
      {view.attempts.length === 0 ? (
        <p className="mt-4 text-sm text-stone-700">{t("empty")}</p>
      ) : (
        <ul className="mt-4 divide-y divide-stone-100 text-sm">
          {view.attempts.map((a) => (
            <li key={a.id} className="grid gap-1 py-2 sm:grid-cols-4 sm:items-center">
              <span>{format.dateTime(a.attemptedAt, { dateStyle: "medium", timeStyle: "short" })}</span>
              <span>
                <span className="sr-only">{t("by")}: </span>
                {t.has(`trigger.${a.trigger}`) ? t(`trigger.${a.trigger}`) : t("trigger.other")}
              </span>
              <span>
                <Badge tone={a.outcome === "SUCCEEDED" ? "green" : a.outcome === "PENDING_PROVISIONING" ? "blue" : "red"}>
                  {t.has(`outcomes.${a.outcome}`) ? t(`outcomes.${a.outcome}`) : t("outcomes.other")}
                </Badge>
              </span>
              <span className="font-mono text-stone-700">
                <span className="sr-only">{t("code")}: </span>
                {a.metaCode ? `${a.metaCode}${a.metaSubcode ? `/${a.metaSubcode}` : ""}` : "—"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
