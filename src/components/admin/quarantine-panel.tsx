"use client";

import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/** Quarantined webhook items: why each was set aside, the item as Meta sent it, and a re-run button. */
export function QuarantinePanel() {
  const utils = api.useUtils();
  const toast = useToast();
  const quarantine = api.admin.quarantinedWebhookItems.useQuery(undefined, { refetchInterval: 30_000 });
  const rerun = api.admin.rerunWebhookItem.useMutation({
    onSuccess: (r) => {
      toast("success", `Re-run: ${r.status.toLowerCase()}${r.storedItems ? `, ${r.storedItems} item(s) stored` : ""}.`);
      void utils.admin.quarantinedWebhookItems.invalidate();
    },
    onError: (error) => toast("error", error.message),
  });
  if (!quarantine.data) return <p className="text-sm text-stone-500">{quarantine.error ? quarantine.error.message : "Loading…"}</p>;
  const { total, items } = quarantine.data;
  if (total === 0) {
    return (
      <EmptyState title="No quarantined webhook items" icon="✓">
        A webhook item that fails validation (a status without an id, a timestamp that is not Unix seconds) or fails every retry is kept
        here with its reason, while the rest of its batch is processed.
      </EmptyState>
    );
  }
  return (
    <div data-testid="quarantine">
      <p className="text-sm text-stone-700">
        <strong data-testid="quarantine-count">{total}</strong> item{total === 1 ? "" : "s"} in quarantine
        {total > items.length ? ` (latest ${items.length} shown)` : ""}.
      </p>
      <ul className="mt-2 divide-y divide-stone-100">
        {items.map((item) => (
          <li key={item.id} className="py-3">
            <div className="flex items-start justify-between gap-4">
              <div className="min-w-0">
                <div className="flex items-center gap-2">
                  <Badge tone={item.kind === "invalid" ? "yellow" : "red"}>
                    {item.kind === "invalid" ? "failed validation" : `failed ${item.attempts} attempts`}
                  </Badge>
                  <span className="font-mono text-xs text-stone-600">{item.field}</span>
                  <span className="text-xs text-stone-500">{timeAgo(item.createdAt)}</span>
                </div>
                <p className="mt-1 text-sm text-stone-800">{item.quarantineReason}</p>
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-stone-500">The item as received</summary>
                  <pre className="mt-1 max-h-48 overflow-auto rounded bg-stone-50 p-2 text-xs">{item.rawItem}</pre>
                </details>
              </div>
              <button
                type="button"
                onClick={() => rerun.mutate({ itemId: item.id })}
                disabled={rerun.isPending}
                className="shrink-0 rounded-md border border-stone-300 px-3 py-1 text-sm hover:bg-stone-50 disabled:opacity-50"
              >
                Re-run
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
