"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { numberWarningKeys } from "@/components/admin/number-warnings";
import { NumberStatusBadge, QualityBadge } from "@/components/ui/quality-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { useDates } from "@/components/ui/use-format";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

export function NumbersTable() {
  const t = useTranslations("admin.numbers");
  const tw = useTranslations("admin");
  const { timeAgo } = useDates();
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const toast = useToast();
  const numbers = api.numbers.list.useQuery();
  const refresh = api.numbers.refresh.useMutation({
    onSuccess: async (result) => {
      await utils.numbers.list.invalidate();
      toast("success", t("refreshed", { count: result.synced }));
    },
    onError: (error) => toast("error", t("refreshFailed", { reason: errorMessage(error) })),
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-stone-600" data-testid="last-refreshed">
          {t("lastRefreshed")} <strong>{numbers.data ? timeAgo(numbers.data.lastRefreshedAt) : "…"}</strong>
        </p>
        <button
          type="button"
          onClick={() => refresh.mutate()}
          disabled={refresh.isPending}
          className="min-h-11 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {refresh.isPending ? t("refreshing") : t("refresh")}
        </button>
      </div>

      {numbers.data && numbers.data.numbers.length === 0 ? (
        <EmptyState title={t("emptyTitle")} icon="☎">
          {t.rich("emptyText", { strong: (chunks) => <strong>{chunks}</strong> })}
        </EmptyState>
      ) : (
        // a tablet shows every column; a phone scrolls the table inside its box, never the page
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-stone-200 text-sm">
            <thead className="bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-600">
              <tr>
                <th className="px-4 py-3">{t("number")}</th>
                <th className="px-4 py-3">{t("verifiedName")}</th>
                <th className="px-4 py-3">{t("quality")}</th>
                <th className="px-4 py-3">{t("status")}</th>
                <th className="px-4 py-3">{t("assignedTo")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {numbers.isLoading && (
                <tr>
                  <td colSpan={5} className="px-4 py-6 text-center text-stone-600">
                    {t("loading")}
                  </td>
                </tr>
              )}
              {numbers.data?.numbers.map((n) => (
                <tr key={n.id} data-testid="number-row">
                  <td className="px-4 py-3 font-mono whitespace-nowrap">
                    <Link
                      href={`/admin/numbers/${n.id}`}
                      className="inline-flex min-h-11 items-center text-brand-700 underline-offset-2 hover:underline sm:min-h-0"
                      title={t("openNumber")}
                    >
                      {n.displayPhoneNumber}
                    </Link>
                  </td>
                  <td className="px-4 py-3">{n.verifiedName ?? "—"}</td>
                  <td className="px-4 py-3">
                    <QualityBadge rating={n.qualityRating} />
                  </td>
                  <td className="min-w-48 px-4 py-3">
                    <NumberStatusBadge value={n.status} />
                    {n.onboarding && n.onboarding.state !== "CONNECTED" && (
                      <p className="mt-1 text-xs font-medium text-stone-700" data-testid="onboarding-state">
                        {n.onboarding.stuck ? t("stuck") : t("onboarding")}
                        {tw(`onboarding.${n.onboarding.state}`)}
                      </p>
                    )}
                    {numberWarningKeys(n.warningCodes).map((w) => (
                      <p key={w} className="mt-1 max-w-xs text-xs text-amber-800">
                        {tw(`warning.${w}`)}
                      </p>
                    ))}
                  </td>
                  <td className="px-4 py-3">
                    {n.assignedTo ? n.assignedTo.tenantName : <span className="text-stone-600">{t("free")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {numbers.error && <p className="text-sm text-red-700">{t("loadFailed", { reason: errorMessage(numbers.error) })}</p>}
    </div>
  );
}
