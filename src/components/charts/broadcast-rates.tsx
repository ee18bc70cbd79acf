"use client";

import { useFormatter, useTranslations } from "next-intl";

export type BroadcastRate = {
  metric: "delivery_rate" | "read_rate" | "opt_out_rate";
  value: number | null;
  hits: number;
  sample: number;
  threshold: number;
  minSample: number;
  direction: "below" | "above";
  /** null: not judged yet (under the minimum sample) */
  crossed: boolean | null;
};

/** A broadcast's own rates, each as a bar with its threshold marked, and in words whether it crossed it. */
export function BroadcastRates({ rates }: { rates: BroadcastRate[] }) {
  const t = useTranslations("charts");
  const format = useFormatter();
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  return (
    <ul className="space-y-4" data-testid="broadcast-rates">
      {rates.map((rate) => {
        const state = rate.crossed === null ? "notJudged" : rate.crossed ? "crossed" : "ok";
        const name = t(`metric.${rate.metric}`);
        const thresholdText = t(`threshold.${rate.direction}`, { threshold: percent(rate.threshold) });
        return (
          <li key={rate.metric} data-testid={`broadcast-rate-${rate.metric}`} data-state={state}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
              <span className="font-medium text-stone-900">{name}</span>
              <span className="tabular-nums text-stone-900">
                {rate.value === null ? t("noSendsYet") : t("rateOf", { rate: percent(rate.value), hits: rate.hits, sample: rate.sample })}
              </span>
            </div>
            <div
              className="relative mt-1 h-3 w-full rounded-full bg-stone-100"
              role="img"
              aria-label={t("barName", {
                metric: name,
                rate: rate.value === null ? t("noSendsYet") : percent(rate.value),
                threshold: thresholdText,
              })}
            >
              {rate.value !== null && (
                <div
                  className={`h-3 rounded-full ${state === "crossed" ? "bg-red-500" : "bg-emerald-600"}`}
                  style={{ width: `${rate.value > 0 ? Math.max(rate.value * 100, 1) : 0}%` }}
                />
              )}
              <div className="absolute -top-1 h-5 w-0.5 bg-red-800" style={{ left: `${rate.threshold * 100}%` }} aria-hidden />
            </div>
            <p className={`mt-1 text-xs ${state === "crossed" ? "text-red-800" : "text-stone-600"}`}>
              {thresholdText} · {t(`state.${state}`, { minSample: rate.minSample })}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
