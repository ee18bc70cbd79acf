"use client";

import { DeliveryFigures } from "@/components/messaging/delivery-figures";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/trpc/react";

const labels = [
  { key: "tenants", label: "Bakeries" },
  { key: "owners", label: "Bakery owners" },
  { key: "phoneNumbers", label: "Phone numbers" },
  { key: "assignedNumbers", label: "Numbers assigned" },
] as const;

export function PlatformStats() {
  const stats = api.admin.stats.useQuery();
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
      {labels.map(({ key, label }) => (
        <div key={key} className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm">
          <dt className="text-sm text-stone-600">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`stat-${key}`}>
            {stats.data ? stats.data[key] : <span className="inline-block h-7 w-10 animate-pulse rounded bg-stone-100" />}
          </dd>
        </div>
      ))}
      {stats.error && <p className="col-span-full text-sm text-red-700">Could not load the figures: {stats.error.message}</p>}
    </dl>
  );
}

/** All bakeries' messages of the last days: how many were delivered, read, or failed. */
export function PlatformDeliveryHealth() {
  const stats = api.admin.stats.useQuery();
  if (stats.error) return <p className="text-sm text-red-700">Could not load the figures: {stats.error.message}</p>;
  if (!stats.data) return <div className="h-16 animate-pulse rounded bg-stone-100" />;
  if (stats.data.lastDays.total === 0) {
    return (
      <EmptyState title="No messages sent yet">
        Delivery, read and failure rates across all bakeries will be charted here once bakeries start sending.
      </EmptyState>
    );
  }
  return <DeliveryFigures figures={stats.data.lastDays} />;
}
