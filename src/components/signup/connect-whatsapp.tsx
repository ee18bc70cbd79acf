"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { api, type RouterOutputs } from "@/trpc/react";

type Result = RouterOutputs["signup"]["connect"];

const steps = ["Meta's sign-up code", "Access token", "Permission check", "Account saved", "Webhooks on", "Registration", "Health check"];

/** Embedded Signup for a bakery owner: connect (or re-authorize) the bakery's own WhatsApp Business Account. */
export function ConnectWhatsApp() {
  const utils = api.useUtils();
  const status = api.signup.status.useQuery();
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const connect = api.signup.connect.useMutation({
    onSuccess: async (r) => {
      setResult(r);
      await Promise.all([utils.signup.status.invalidate(), utils.health.mine.invalidate()]);
    },
    onError: (e) => setError(e.message),
  });
  const popup = api.signup.simulatePopup.useMutation({
    // Meta's code lives 30 seconds: it is exchanged at once, as the real popup's callback would.
    onSuccess: (grant) => connect.mutate(grant),
    onError: (e) => setError(e.message),
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
      <Card
        title="Your own WhatsApp Business Account"
        description="Send from your bakery's own number instead of one of the platform's shared numbers. Meta asks you to log in with Facebook and choose the account and number; Recado does the rest."
      >
        {s?.connected ? (
          <div className="space-y-2 text-sm" data-testid="own-account">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{s.displayPhoneNumber}</span>
              {s.reauthRequired ? (
                <Badge tone="red">Reconnect needed</Badge>
              ) : s.onboardingState === "CONNECTED" ? (
                <Badge tone="green">Connected</Badge>
              ) : (
                <Badge tone="blue">Being set up</Badge>
              )}
            </p>
            {s.reauthRequired && (
              <p className="text-red-800">
                Meta did not finish setting up this number. Run “Connect WhatsApp” again and choose the <strong>same number</strong>.
              </p>
            )}
          </div>
        ) : (
          <p className="text-sm text-stone-600">No own account connected yet.</p>
        )}
        <ol className="mt-4 flex flex-wrap gap-2 text-xs text-stone-500" aria-label="What happens">
          {steps.map((step, i) => (
            <li key={step} className="rounded-full bg-stone-100 px-2.5 py-1">
              {i + 1}. {step}
            </li>
          ))}
        </ol>
        <div className="mt-5 flex flex-wrap items-center gap-3">
          {s?.simulator ? (
            <button
              type="button"
              onClick={start}
              disabled={busy}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {busy ? "Connecting…" : s.connected ? "Reconnect (simulate Meta's popup)" : "Connect WhatsApp (simulate Meta's popup)"}
            </button>
          ) : (
            <p className="max-w-xl text-sm text-stone-600">
              Meta&apos;s sign-up popup opens from here when Recado is configured with a Meta app (META_APP_ID). Contact support to connect
              your account.
            </p>
          )}
          <Link href="/settings" className="text-sm text-brand-700 underline">
            Back to Settings
          </Link>
        </div>
        {s?.simulator && (
          <p className="mt-3 text-xs text-stone-500">
            Local mode: Recado talks to the bundled Meta simulator, which has no Facebook popup. The button asks the simulator for the
            30-second sign-up code Meta&apos;s popup would hand over (for its test account “Panadería Goiko”) and runs the real flow with
            it.
          </p>
        )}
      </Card>

      {error && (
        <div className="rounded-xl border border-red-300 bg-red-50 px-5 py-4 text-sm text-red-900" role="alert" data-testid="signup-error">
          <strong>Not connected.</strong> {error}
        </div>
      )}
      {result && (
        <div
          className={`rounded-xl border px-5 py-4 text-sm ${result.status === "connected" ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
          role="status"
          data-testid="signup-result"
        >
          <strong>{result.status === "connected" ? (result.reauthorized ? "Reconnected." : "Connected.") : "Almost there."}</strong>{" "}
          {result.message}
        </div>
      )}
    </div>
  );
}
