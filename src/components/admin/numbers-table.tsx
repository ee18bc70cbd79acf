"use client";

import Link from "next/link";
import { NumberStatusBadge, QualityBadge } from "@/components/ui/quality-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

export function NumbersTable() {
  const utils = api.useUtils();
  const toast = useToast();
  const numbers = api.numbers.list.useQuery();
  const refresh = api.numbers.refresh.useMutation({
    onSuccess: async (result) => {
      await utils.numbers.list.invalidate();
      toast("success", `Refreshed ${result.synced} number${result.synced === 1 ? "" : "s"} from Meta.`);
    },
    onError: (error) => toast("error", `Could not refresh from Meta: ${error.message}`),
  });

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-stone-600" data-testid="last-refreshed">
          Last refreshed from Meta: <strong>{numbers.data ? timeAgo(numbers.data.lastRefreshedAt) : "…"}</strong>
        </p>
        <button
          type="button"
          onClick={() => refresh.mutate()}
          disabled={refresh.isPending}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {refresh.isPending ? "Refreshing…" : "Refresh from Meta"}
        </button>
      </div>

      {numbers.data && numbers.data.numbers.length === 0 ? (
        <EmptyState title="No numbers loaded yet" icon="☎">
          Press <strong>Refresh from Meta</strong> to load the shared account&apos;s numbers. Each will show its quality rating, its health
          and the bakery it is assigned to.
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-stone-200 text-sm">
            <thead className="bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-500">
              <tr>
                <th className="px-4 py-3">Number</th>
                <th className="px-4 py-3">Verified name</th>
                <th className="px-4 py-3">Quality</th>
                <th className="px-4 py-3">Status</th>
                <th className="px-4 py-3">Assigned to</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {numbers.isLoading && (
                <tr>
                  <td colSpan={5} className="px-4 py-6 text-center text-stone-500">
                    Loading numbers…
                  </td>
                </tr>
              )}
              {numbers.data?.numbers.map((n) => (
                <tr key={n.id} data-testid="number-row">
                  <td className="px-4 py-3 font-mono">
                    <Link
                      href={`/admin/numbers/${n.id}`}
                      className="text-brand-700 underline-offset-2 hover:underline"
                      title="Account Health, registration and timeline"
                    >
                      {n.displayPhoneNumber}
                    </Link>
                  </td>
                  <td className="px-4 py-3">{n.verifiedName ?? "—"}</td>
                  <td className="px-4 py-3">
                    <QualityBadge rating={n.qualityRating} />
                  </td>
                  <td className="px-4 py-3">
                    <NumberStatusBadge value={n.status} />
                    {n.onboarding && n.onboarding.state !== "CONNECTED" && (
                      <p className="mt-1 text-xs font-medium text-stone-700" data-testid="onboarding-state">
                        {n.onboarding.stuck ? "Stuck: " : "Onboarding: "}
                        {n.onboarding.label}
                      </p>
                    )}
                    {n.warnings.map((w) => (
                      <p key={w} className="mt-1 max-w-xs text-xs text-amber-800">
                        {w}
                      </p>
                    ))}
                  </td>
                  <td className="px-4 py-3">{n.assignedTo ? n.assignedTo.tenantName : <span className="text-stone-500">Free</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {numbers.error && <p className="text-sm text-red-700">Could not load numbers: {numbers.error.message}</p>}
    </div>
  );
}
