"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

const metrics = ["delivery_rate", "read_rate", "opt_out_rate", "api_error_rate", "template_rejection_rate"] as const;
type Metric = (typeof metrics)[number];
type Row = { metric: Metric; threshold: number; minSample: number; direction: "below" | "above"; unit: string; isDefault: boolean };

/** The delivery metrics' alert thresholds: one row per metric, its value and minimum sample editable. */
export function ThresholdsPanel() {
  const t = useTranslations("ops.thresholds");
  const errorMessage = useErrorMessage();
  const thresholds = api.admin.metricThresholds.useQuery();
  if (thresholds.error) return <p className="text-sm text-red-700">{t("loadError", { message: errorMessage(thresholds.error) })}</p>;
  if (!thresholds.data) return <div className="h-24 animate-pulse rounded bg-stone-100" />;
  const data = thresholds.data as unknown as Record<Metric, Row>;
  return (
    <div className="space-y-3">
      <p className="text-sm text-stone-600">{t("intro")}</p>
      <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200" data-testid="thresholds">
        {metrics.map((metric) => (
          <ThresholdRow key={`${metric}-${data[metric].threshold}-${data[metric].minSample}`} row={data[metric]} />
        ))}
      </ul>
    </div>
  );
}

/** What is wrong with the typed values, in plain words; null when they are fine. */
function problems(percentText: string, sampleText: string, t: ReturnType<typeof useTranslations>) {
  const errors: { threshold?: string; minSample?: string } = {};
  const percent = Number(percentText.replace(",", "."));
  if (percentText.trim() === "" || !Number.isFinite(percent) || percent < 0 || percent > 100) errors.threshold = t("error.threshold");
  const sample = Number(sampleText);
  if (sampleText.trim() === "" || !Number.isInteger(sample) || sample < 1 || sample > 1_000_000) errors.minSample = t("error.minSample");
  return { errors, percent, sample };
}

function ThresholdRow({ row }: { row: Row }) {
  const t = useTranslations("ops.thresholds");
  const errorMessage = useErrorMessage();
  const tc = useTranslations("charts");
  const format = useFormatter();
  const toast = useToast();
  const utils = api.useUtils();
  const [percentText, setPercentText] = useState(String(Math.round(row.threshold * 1000) / 10));
  const [sampleText, setSampleText] = useState(String(row.minSample));
  const [submitted, setSubmitted] = useState(false);
  const update = api.admin.updateMetricThreshold.useMutation({
    onSuccess: async () => {
      toast("success", t("saved", { metric: tc(`metric.${row.metric}`) }));
      setSubmitted(false);
      await Promise.all([utils.admin.metricThresholds.invalidate(), utils.admin.deliveryRates.invalidate()]);
    },
  });
  const { errors, percent, sample } = problems(percentText, sampleText, t);
  const shown = submitted ? errors : {};
  const changed = percent / 100 !== row.threshold || sample !== row.minSample;
  const id = `threshold-${row.metric}`;
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (errors.threshold || errors.minSample) return;
    update.mutate({ metric: row.metric, threshold: Math.round(percent * 10) / 1000, minSample: sample });
  };
  return (
    <li className="p-4" data-testid={id}>
      <form onSubmit={save} noValidate className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="text-sm font-semibold text-stone-900">{tc(`metric.${row.metric}`)}</h3>
          <Badge tone={row.isDefault ? "gray" : "blue"}>{row.isDefault ? t("default") : t("changed")}</Badge>
        </div>
        <p className="text-sm text-stone-700">
          {t(`rule.${row.direction}`, {
            threshold: format.number(row.threshold, { style: "percent", maximumFractionDigits: 1 }),
            minSample: row.minSample,
            unit: t(`unit.${row.unit === "templates" ? "templates" : "messages"}`),
          })}
        </p>
        <p className="text-xs text-stone-600">
          <span className="font-medium">{t("whatToDo")}</span> {t(`advice.${row.metric}`)}
        </p>
        <div className="flex flex-wrap items-start gap-3">
          <label className="text-sm">
            <span className="block text-stone-600">{t(`field.threshold.${row.direction}`)}</span>
            <span className="mt-1 flex items-center gap-1">
              <input
                id={`${id}-value`}
                inputMode="decimal"
                value={percentText}
                onChange={(e) => setPercentText(e.target.value)}
                aria-invalid={Boolean(shown.threshold)}
                aria-describedby={shown.threshold ? `${id}-value-error` : undefined}
                className="min-h-11 w-24 rounded-md border border-stone-300 px-2 tabular-nums"
              />
              <span aria-hidden>%</span>
            </span>
            {shown.threshold && (
              <span id={`${id}-value-error`} className="mt-1 block max-w-xs text-xs text-red-700" role="alert">
                {shown.threshold}
              </span>
            )}
          </label>
          <label className="text-sm">
            <span className="block text-stone-600">{t(`field.minSample.${row.unit === "templates" ? "templates" : "messages"}`)}</span>
            <input
              id={`${id}-sample`}
              inputMode="numeric"
              value={sampleText}
              onChange={(e) => setSampleText(e.target.value)}
              aria-invalid={Boolean(shown.minSample)}
              aria-describedby={shown.minSample ? `${id}-sample-error` : undefined}
              className="mt-1 min-h-11 w-28 rounded-md border border-stone-300 px-2 tabular-nums"
            />
            {shown.minSample && (
              <span id={`${id}-sample-error`} className="mt-1 block max-w-xs text-xs text-red-700" role="alert">
                {shown.minSample}
              </span>
            )}
          </label>
          <button
            type="submit"
            disabled={update.isPending || !changed}
            className="mt-6 min-h-11 rounded-md bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
          >
            {update.isPending ? t("saving") : t("save")}
          </button>
        </div>
        {update.error && (
          <p className="text-sm text-red-700" role="alert">
            {t("saveError", { message: errorMessage(update.error) })}
          </p>
        )}
      </form>
    </li>
  );
}
