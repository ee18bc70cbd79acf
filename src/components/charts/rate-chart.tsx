"use client";

import { useFormatter, useTranslations } from "next-intl";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * One day of one rate: null when nothing was sent that day (a gap in the line, not a zero). `judged` false: the
 * figure is not final yet (today's read rate: its messages may still be read), so it never counts as crossed.
 */
export type RatePoint = { day: string; value: number | null; sample: number; judged?: boolean };

export type RateMetric = "delivery_rate" | "read_rate" | "opt_out_rate" | "api_error_rate" | "template_rejection_rate";

export type RateThreshold = { threshold: number; minSample: number; direction: "below" | "above" };

const lineColour: Record<RateMetric, string> = {
  delivery_rate: "#047857",
  read_rate: "#0369a1",
  opt_out_rate: "#b45309",
  api_error_rate: "#7c3aed",
  template_rejection_rate: "#be185d",
};

/** What a day's sample counts: messages, or templates Meta decided on. */
const unitOf = (metric: RateMetric) => (metric === "template_rejection_rate" ? "templates" : "messages");

const dayDate = (day: string) => new Date(`${day}T12:00:00Z`);

/**
 * 30 days of one rate as a line with its alert threshold drawn across it. Its text alternative — the chart's
 * accessible name, a one-paragraph summary and the figures as a table — says what the picture shows.
 */
export function RateChart({ metric, points, threshold }: { metric: RateMetric; points: RatePoint[]; threshold: RateThreshold }) {
  const t = useTranslations("charts");
  const format = useFormatter();
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const shortDay = (day: string) => format.dateTime(dayDate(day), { day: "numeric", month: "short" });
  const measured = points.filter((p): p is RatePoint & { value: number } => p.value !== null);
  const pending = measured.filter((p) => p.judged === false);
  const crossed = measured.filter((p) =>
    p.judged !== false && p.sample >= threshold.minSample
      ? threshold.direction === "below"
        ? p.value < threshold.threshold
        : p.value > threshold.threshold
      : false,
  );
  const name = t(`metric.${metric}`);
  const unit = unitOf(metric);
  const thresholdText = t(`threshold.${threshold.direction}`, { threshold: percent(threshold.threshold) });
  // the worst day among the final ones (a day not final yet may still change), or among all while none is final
  const finalOnes = measured.length > pending.length ? measured.filter((p) => p.judged !== false) : measured;
  const worst = finalOnes.length
    ? finalOnes.reduce((a, b) => ((threshold.direction === "below" ? b.value < a.value : b.value > a.value) ? b : a))
    : null;
  const measuredSummary =
    measured.length === 0
      ? t(`summary.empty.${unit}`, { days: points.length })
      : t("summary.measured", {
          days: points.length,
          measuredDays: measured.length,
          latest: percent(measured.at(-1)!.value),
          latestDay: shortDay(measured.at(-1)!.day),
          worst: percent(worst!.value),
          worstDay: shortDay(worst!.day),
          crossed: crossed.length,
        });
  const summary = pending.length ? `${measuredSummary} ${t("summary.pending", { pending: pending.length })}` : measuredSummary;
  // a rate that alarms above a few percent is drawn on a scale a few times its threshold, so line and threshold stay apart
  const top =
    threshold.direction === "below"
      ? 100
      : Math.min(100, Math.ceil((Math.max(threshold.threshold * 4, ...measured.map((p) => p.value * 1.1)) * 100) / 5) * 5);
  const ticks = [0, 1, 2, 3, 4].map((i) => Math.round(((top * i) / 4) * 10) / 10);
  const data = points.map((p) => ({
    day: p.day,
    value: p.value === null ? null : p.value * 100,
    sample: p.sample,
    judged: p.judged !== false,
  }));
  const testId = `chart-${metric}`;

  return (
    <figure className="min-w-0" data-testid={testId} aria-labelledby={`${testId}-title`} aria-describedby={`${testId}-summary`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h3 id={`${testId}-title`} className="text-sm font-semibold text-stone-900">
          {name}
        </h3>
        <span className="text-xs text-red-800">{thresholdText}</span>
      </div>
      <div
        className="mt-2 h-44 w-full"
        role="img"
        aria-label={t("chartName", { metric: name, days: points.length, threshold: thresholdText })}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e7e5e4" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="day"
              padding={{ left: 6, right: 10 }}
              tickFormatter={shortDay}
              tick={{ fontSize: 11, fill: "#57534e" }}
              minTickGap={24}
              tickLine={false}
            />
            <YAxis
              domain={[0, top]}
              ticks={ticks}
              allowDataOverflow
              tickFormatter={(v: number) => percent(v / 100)}
              tick={{ fontSize: 11, fill: "#57534e" }}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <Tooltip
              formatter={(value, _name, item) => [
                typeof value === "number"
                  ? (item.payload as { judged: boolean }).judged
                    ? percent(value / 100)
                    : t("notFinal", { rate: percent(value / 100) })
                  : t(`nothing.${unit}`),
                name,
              ]}
              labelFormatter={(label) => (typeof label === "string" ? shortDay(label) : "")}
            />
            <ReferenceLine
              y={threshold.threshold * 100}
              stroke="#b91c1c"
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{ value: t("thresholdLine"), position: "insideTopLeft", fontSize: 11, fill: "#b91c1c" }}
            />
            <Line
              type="monotone"
              dataKey="value"
              stroke={lineColour[metric]}
              strokeWidth={2}
              dot={(props: { cx?: number; cy?: number; index?: number; payload?: { judged: boolean } }) =>
                props.cx === undefined || props.cy === undefined ? (
                  <g key={props.index} />
                ) : (
                  // a figure not final yet: a hollow point
                  <circle
                    key={props.index}
                    cx={props.cx}
                    cy={props.cy}
                    r={props.payload?.judged === false ? 3 : 2}
                    stroke={lineColour[metric]}
                    strokeWidth={props.payload?.judged === false ? 1.5 : 1}
                    fill={props.payload?.judged === false ? "#ffffff" : lineColour[metric]}
                    data-judged={props.payload?.judged !== false}
                  />
                )
              }
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption id={`${testId}-summary`} className="mt-2 text-xs text-stone-600" data-testid={`${testId}-summary`}>
        {summary}
      </figcaption>
      {measured.length > 0 && (
        <details className="mt-1 text-xs text-stone-600">
          <summary className="cursor-pointer py-2 text-brand-700">{t("asTable")}</summary>
          <table className="mt-1 w-full text-left">
            <caption className="sr-only">{name}</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  {t("table.day")}
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  {name}
                </th>
                <th scope="col" className="py-1 font-medium">
                  {t(`table.sample.${unit}`)}
                </th>
              </tr>
            </thead>
            <tbody>
              {measured.map((p) => (
                <tr key={p.day} className={crossed.includes(p) ? "text-red-800" : undefined}>
                  <td className="py-0.5 pr-2">{shortDay(p.day)}</td>
                  <td className="py-0.5 pr-2 tabular-nums">
                    {p.judged === false ? t("notFinal", { rate: percent(p.value) }) : percent(p.value)}
                  </td>
                  <td className="py-0.5 tabular-nums">{format.number(p.sample)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
