"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { api, type RouterOutputs } from "@/trpc/react";

type Result = RouterOutputs["signup"]["connect"];

const steps = ["code", "token", "permission", "saved", "webhooks", "registration", "health"] as const;

/** Embedded Signup for a bakery owner: connect (or re-authorize) the bakery's own WhatsApp Business Account. */
export function ConnectWhatsApp() {
  const t = useTranslations("signup");
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const status = api.signup.status.useQuery();
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const connect = api.signup.connect.useMutation({
    onSuccess: async (r) => {
      setResult(r);
      await Promise.all([utils.signup.status.invalidate(), utils.health.mine.invalidate()]);
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const popup = api.signup.simulatePopup.useMutation({
    // Meta's code lives 30 seconds: it is exchanged at once, as the real popup's callback would.
    onSuccess: (grant) => connect.mutate(grant),
    onError: (e) => setError(errorMessage(e)),
  });
  const busy = popup.isPending || connect.isPending;
  const s = status.data;

  const start = () => {
    setError(null);
    setResult(null);
    popup.mutate();
  };

  return (
    <div className="space-y-6">
      <Card title={t("cardTitle")} description={t("cardDescription")}>
        {s?.connected ? (
          <div className="space-y-2 text-sm" data-testid="own-account">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{s.displayPhoneNumber}</span>
              {s.reauthRequired ? (
                <Badge tone="red">{t("reconnectNeeded")}</Badge>
              ) : s.onboardingState === "CONNECTED" ? (
                <Badge tone="green">{t("connected")}</Badge>
              ) : (
                <Badge tone="blue">{t("beingSetUp")}</Badge>
              )}
            </p>
            {s.reauthRequired && <p className="text-red-800">{t.rich("reauthText", { strong: (chunks) => <strong>{chunks}</strong> })}</p>}
          </div>
        ) : (
          <p className="text-sm text-stone-600">{t("none")}</p>
        )}
        <ol className="mt-4 flex flex-wrap gap-2 text-xs text-stone-600" aria-label={t("stepsLabel")}>
          {steps.map((step, i) => (
            <li key={step} className="rounded-full bg-stone-100 px-2.5 py-1">
              {i + 1}. {t(`step.${step}`)}
            </li>
          ))}
        </ol>
        <div className="mt-5 flex flex-wrap items-center gap-3">
          {s?.simulator ? (
            <button
              type="button"
              onClick={start}
              disabled={busy}
              className="min-h-11 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {busy ? t("connecting") : s.connected ? t("reconnectSimulated") : t("connectSimulated")}
            </button>
          ) : (
            <p className="max-w-xl text-sm text-stone-600">{t("noMetaApp")}</p>
          )}
          <Link href="/settings" className="inline-flex min-h-11 items-center text-sm text-brand-700 underline">
            {t("back")}
          </Link>
        </div>
        {s?.simulator && <p className="mt-3 text-xs text-stone-600">{t("localMode")}</p>}
      </Card>

      {error && (
        <div className="rounded-xl border border-red-300 bg-red-50 px-5 py-4 text-sm text-red-900" role="alert" data-testid="signup-error">
          <strong>{t("notConnected")}</strong> {error}
        </div>
      )}
      {result && (
        <div
          className={`rounded-xl border px-5 py-4 text-sm ${result.status === "connected" ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
          role="status"
          data-testid="signup-result"
        >
          <strong>
            {result.status === "connected" ? (result.reauthorized ? t("reconnectedTitle") : t("connectedTitle")) : t("almostTitle")}
          </strong>{" "}
          {result.status === "connected"
            ? t("connectedText", { number: result.displayPhoneNumber })
            : t("pendingText", { number: result.displayPhoneNumber })}
        </div>
      )}
    </div>
  );
}
