"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { useDates } from "@/components/ui/use-format";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/**
 * Quarantined webhook items: why each was set aside, the item as Meta sent it, and a re-run button. The reason is
 * worded from its code (`reason.<code>`); its detail is the validator's or the handler's own technical line (which
 * field, what was expected), shown as written: it names Meta's fields.
 */
export function QuarantinePanel() {
  const t = useTranslations("admin.quarantine");
  const { timeAgo } = useDates();
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const toast = useToast();
  const quarantine = api.admin.quarantinedWebhookItems.useQuery(undefined, { refetchInterval: 30_000 });
  const rerun = api.admin.rerunWebhookItem.useMutation({
    onSuccess: (r) => {
      const outcome = t(`outcome.${r.status in outcomes ? r.status : "OTHER"}`);
      toast("success", t("rerunDone", { outcome, stored: r.storedItems ?? 0 }));
      void utils.admin.quarantinedWebhookItems.invalidate();
    },
    onError: (error) => toast("error", errorMessage(error)),
  });
  if (!quarantine.data) return <p className="text-sm text-stone-600">{quarantine.error ? errorMessage(quarantine.error) : t("loading")}</p>;
  const { total, items } = quarantine.data;
  if (total === 0) {
    return (
      <EmptyState title={t("emptyTitle")} icon="✓">
        {t("emptyText")}
      </EmptyState>
    );
  }
  return (
    <div data-testid="quarantine">
      <p className="text-sm text-stone-700">
        {t.rich("count", { count: total, strong: (chunks) => <strong data-testid="quarantine-count">{chunks}</strong> })}
        {total > items.length ? ` ${t("latestShown", { shown: items.length })}` : ""}
      </p>
      <ul className="mt-2 divide-y divide-stone-100">
        {items.map((item) => (
          <li key={item.id} className="py-3">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={item.kind === "invalid" ? "yellow" : "red"}>
                    {item.kind === "invalid" ? t("failedValidation") : t("failedAttempts", { count: item.attempts })}
                  </Badge>
                  <span className="font-mono text-xs text-stone-600">{item.field}</span>
                  <span className="text-xs text-stone-600">{timeAgo(item.createdAt)}</span>
                </div>
                <p className="mt-1 break-words text-sm text-stone-800" data-testid="quarantine-reason">
                  {t(`reason.${item.reasonCode}`, { attempts: item.reasonParams.attempts, detail: item.reasonParams.detail || "—" })}
                </p>
                <details className="mt-1">
                  <summary className="cursor-pointer py-2 text-xs text-stone-600">{t("asReceived")}</summary>
                  <pre className="mt-1 max-h-48 overflow-auto rounded bg-stone-50 p-2 text-xs">{item.rawItem}</pre>
                </details>
              </div>
              <button
                type="button"
                onClick={() => rerun.mutate({ itemId: item.id })}
                disabled={rerun.isPending}
                className="min-h-11 shrink-0 rounded-md border border-stone-300 px-3 py-1 text-sm hover:bg-stone-50 disabled:opacity-50"
              >
                {t("rerun")}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

const outcomes = { PROCESSED: 1, PENDING: 1, PROCESSING: 1, IGNORED: 1, FAILED: 1, QUARANTINED: 1 } as const;
