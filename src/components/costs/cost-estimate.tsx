"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { api, type RouterInputs } from "@/trpc/react";

type Draft = RouterInputs["broadcasts"]["estimateCost"];

/**
 * A draft broadcast's estimated cost (broadcasts.estimateCost). Place inside the broadcast preview of New broadcast,
 * under the rendered message, with the same draft the preview query uses (null while the form is incomplete).
 */
export function CostEstimate({ draft }: { draft: Draft | null }) {
  const t = useTranslations("costs");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const estimate = api.broadcasts.estimateCost.useQuery(draft!, { enabled: draft !== null, retry: false });
  const data = estimate.data;
  if (!draft) return null;
  return (
    <div className="space-y-1 rounded-lg border border-stone-200 bg-white p-3 text-sm" data-testid="cost-estimate">
      <p className="font-medium text-stone-900">{t("estimate.title")}</p>
      {estimate.error && <p className="text-red-800">{errorMessage(estimate.error)}</p>}
      {!data && !estimate.error && <p className="text-stone-500">{t("loading")}</p>}
      {data && (
        <>
          <p className="text-lg font-semibold tabular-nums text-stone-900">
            {t("estimate.total", { total: data.total, currency: data.currency ?? "" })}
          </p>
          <p className="text-stone-600">{t("estimate.breakdown", { billable: data.billable, free: data.free })}</p>
          <p className="text-stone-600">{t("estimate.newConversations", { count: data.newConversations })}</p>
          {data.refusedMarketingOptedOut > 0 && (
            <p className="text-amber-800">{t("estimate.optedOut", { count: data.refusedMarketingOptedOut })}</p>
          )}
          <ul className="text-xs text-stone-500">
            {data.byCountry.map((c) => (
              <li key={c.country}>{t("estimate.country", { country: c.country, recipients: c.recipients, rate: c.rate })}</li>
            ))}
          </ul>
          {data.rateCardDate && (
            <p className="text-xs text-stone-500">
              {t("estimate.rateCard", {
                date: format.dateTime(new Date(`${String(data.rateCardDate).slice(0, 10)}T12:00:00Z`), { dateStyle: "long" }),
              })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
