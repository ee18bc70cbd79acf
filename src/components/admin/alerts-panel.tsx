"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

const tone = { CRITICAL: "red", WARNING: "yellow", INFO: "blue" } as const;

/** Open alerts, newest first, each with what happened, what to do, and an acknowledge button. */
export function AlertsPanel() {
  const utils = api.useUtils();
  const toast = useToast();
  const alerts = api.alerts.open.useQuery(undefined, { refetchInterval: 15_000 });
  const acknowledge = api.alerts.acknowledge.useMutation({
    onSuccess: () => utils.alerts.open.invalidate(),
    onError: (error) => toast("error", error.message),
  });
  if (alerts.data?.length === 0) {
    return (
      <EmptyState title="No open alerts" icon="✓">
        Quality drops, flagged or banned numbers, stuck registrations, expired tokens and rejected webhooks will be listed here as they
        happen, with what to do about each.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-stone-100" data-testid="alerts">
      {alerts.data?.map((alert) => (
        <li key={alert.id} className="flex items-start justify-between gap-4 py-3">
          <div>
            <div className="flex items-center gap-2">
              <Badge tone={tone[alert.severity]}>{alert.severity.toLowerCase()}</Badge>
              <span className="text-sm font-semibold">{alert.title}</span>
              {alert.occurrences > 1 && <span className="text-xs text-stone-500">×{alert.occurrences}</span>}
            </div>
            <p className="mt-1 text-sm text-stone-700">{alert.message}</p>
            <p className="mt-1 text-xs text-stone-500">
              Last seen {timeAgo(alert.lastSeenAt)}
              {alert.phoneNumberId && (
                <>
                  {" "}
                  ·{" "}
                  <Link href={`/admin/numbers/${alert.phoneNumberId}`} className="text-brand-700 underline">
                    Open the number
                  </Link>
                </>
              )}
            </p>
          </div>
          <button
            type="button"
            onClick={() => acknowledge.mutate({ alertId: alert.id })}
            className="shrink-0 rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
          >
            Acknowledge
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The header's reminder: how many alerts are waiting, until they are acknowledged. */
export function AlertsIndicator() {
  const alerts = api.alerts.open.useQuery(undefined, { refetchInterval: 30_000 });
  const count = alerts.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <a href="/admin#alerts" className="rounded-full bg-red-600 px-2.5 py-1 text-xs font-semibold text-white" data-testid="alerts-indicator">
      {count} open alert{count === 1 ? "" : "s"}
    </a>
  );
}
