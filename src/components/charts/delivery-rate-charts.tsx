"use client";

import { useTranslations } from "next-intl";
import { RateChart, type RateMetric, type RateThreshold } from "@/components/charts/rate-chart";

/** One day of the rates as admin.deliveryRates / bakery.deliveryRates give them (monitoring/delivery-rates.ts). */
export type DailyRatesDay = {
  day: string;
  sent: number;
  delivered: number;
  deliveryRate: number | null;
  readRate: number | null;
  optOutRate: number | null;
  apiErrorRate: number | null;
  templatesDecided: number;
  templateRejectionRate: number | null;
  /** false while the day's read rate is not final (not over, or its messages younger than the read window) */
  readJudged: boolean;
};

export type DailyRatesData = { days: DailyRatesDay[]; thresholds: Record<RateMetric, RateThreshold> & Record<string, RateThreshold> };

const series: {
  metric: RateMetric;
  value: (d: DailyRatesDay) => number | null;
  sample: (d: DailyRatesDay) => number;
  judged?: (d: DailyRatesDay) => boolean;
}[] = [
  { metric: "delivery_rate", value: (d) => d.deliveryRate, sample: (d) => d.sent },
  { metric: "read_rate", value: (d) => d.readRate, sample: (d) => d.delivered, judged: (d) => d.readJudged },
  { metric: "opt_out_rate", value: (d) => d.optOutRate, sample: (d) => d.sent },
  { metric: "api_error_rate", value: (d) => d.apiErrorRate, sample: (d) => d.sent },
  { metric: "template_rejection_rate", value: (d) => d.templateRejectionRate, sample: (d) => d.templatesDecided },
];

/** The five daily rates of the last 30 days, each against its threshold; a loading and an error state of their own. */
export function DeliveryRateCharts({ data, error }: { data: DailyRatesData | undefined; error?: { message: string } | null }) {
  const t = useTranslations("charts");
  if (error) return <p className="text-sm text-red-700">{t("loadError", { message: error.message })}</p>;
  if (!data) return <div className="h-44 animate-pulse rounded bg-stone-100" aria-label={t("loading")} />;
  return (
    <div className="space-y-2">
      <p className="text-sm text-stone-600">{t("intro")}</p>
      <div className="grid gap-6 md:grid-cols-2" data-testid="delivery-rate-charts">
        {series.map((s) => (
          <RateChart
            key={s.metric}
            metric={s.metric}
            threshold={data.thresholds[s.metric]}
            points={data.days.map((d) => ({ day: d.day, value: s.value(d), sample: s.sample(d), judged: s.judged?.(d) ?? true }))}
          />
        ))}
      </div>
    </div>
  );
}
