/**
 * Alert thresholds of the delivery metrics. Defaults (delivery < 90%, read < 50%,
 * opt-out > 5% per broadcast, API errors > 2%, template rejections > 20%); each has a minimum sample so that one
 * failed message out of three does not alarm. An admin may change a threshold; the change is audited.
 */
import { z } from "zod";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";

export const metricNames = ["delivery_rate", "read_rate", "opt_out_rate", "api_error_rate", "template_rejection_rate"] as const;
export type MetricName = (typeof metricNames)[number];

export type ThresholdDefinition = {
  /** below: the figure alarms when it falls under the threshold; above: when it rises over it */
  direction: "below" | "above";
  label: string;
  /** what the sample counts */
  unit: "messages" | "templates";
  /** what an admin should do about a crossing */
  advice: string;
  defaults: { threshold: number; minSample: number };
};

export const thresholdDefinitions: Record<MetricName, ThresholdDefinition> = {
  delivery_rate: {
    direction: "below",
    label: "Delivery rate",
    unit: "messages",
    advice:
      "Look at the failures' error codes in the broadcast report: numbers not on WhatsApp (131026) are excluded next time; " +
      "a template or quality problem needs the template fixed or the number's quality checked before sending again.",
    defaults: { threshold: 0.9, minSample: 20 },
  },
  read_rate: {
    direction: "below",
    label: "Read rate",
    unit: "messages",
    advice: "Few recipients open these messages: review the template's content and the sending time with the bakery.",
    defaults: { threshold: 0.5, minSample: 20 },
  },
  opt_out_rate: {
    direction: "above",
    label: "Opt-out rate",
    unit: "messages",
    advice:
      "Many recipients replied STOP: check the audience (consent, tags) and how often the bakery broadcasts; " +
      "a high opt-out rate lowers the number's quality rating.",
    defaults: { threshold: 0.05, minSample: 20 },
  },
  api_error_rate: {
    direction: "above",
    label: "Graph API error rate",
    unit: "messages",
    advice:
      "Meta refused or did not answer many sends: check the connection and token in /api/health and the refusal codes " +
      "in /api/metrics; pause the number's broadcasts while it lasts.",
    defaults: { threshold: 0.02, minSample: 50 },
  },
  template_rejection_rate: {
    direction: "above",
    label: "Template rejection rate",
    unit: "templates",
    advice:
      "Meta rejects many of this bakery's templates: read the rejection reasons on the Templates page and help the owner rewrite them.",
    defaults: { threshold: 0.2, minSample: 5 },
  },
};

export type Threshold = { metric: MetricName; threshold: number; minSample: number; isDefault: boolean } & Omit<
  ThresholdDefinition,
  "defaults"
>;

export type Thresholds = Record<MetricName, Threshold>;

export async function getThresholds({ db }: { db: Db }): Promise<Thresholds> {
  const rows = await db.metricThreshold.findMany();
  return Object.fromEntries(
    metricNames.map((metric) => {
      const { defaults, ...definition } = thresholdDefinitions[metric];
      const row = rows.find((r) => r.metric === metric);
      return [
        metric,
        {
          metric,
          ...definition,
          threshold: row?.threshold ?? defaults.threshold,
          minSample: row?.minSample ?? defaults.minSample,
          isDefault: !row,
        },
      ];
    }),
  ) as Thresholds;
}

export const thresholdChangeSchema = z.object({
  metric: z.enum(metricNames, `metric: expected one of ${metricNames.join(", ")}, e.g. "delivery_rate"`),
  threshold: z
    .number("threshold: expected a share between 0 and 1, e.g. 0.9 for 90%")
    .min(0, "threshold: expected a share between 0 and 1, e.g. 0.9 for 90%")
    .max(1, "threshold: expected a share between 0 and 1, e.g. 0.9 for 90%"),
  minSample: z
    .number("minSample: expected a whole number of messages (templates), e.g. 20")
    .int("minSample: expected a whole number, e.g. 20")
    .min(1, "minSample: expected at least 1, e.g. 20")
    .max(1_000_000, "minSample: expected at most 1,000,000"),
});
export type ThresholdChange = z.infer<typeof thresholdChangeSchema>;

/** Sets one metric's threshold and minimum sample; the audit entry holds both before and after. */
export async function updateThreshold({ db, actor, change }: { db: Db; actor: Actor; change: ThresholdChange }) {
  const input = thresholdChangeSchema.parse(change);
  return db.$transaction(async (tx) => {
    const before = (await getThresholds({ db: tx as Db }))[input.metric];
    await tx.metricThreshold.upsert({
      where: { metric: input.metric },
      update: { threshold: input.threshold, minSample: input.minSample, updatedById: actor.userId },
      create: { metric: input.metric, threshold: input.threshold, minSample: input.minSample, updatedById: actor.userId },
    });
    await writeAudit(tx, {
      actor,
      action: "metrics.threshold_changed",
      targetType: "metric_threshold",
      targetId: input.metric,
      before: { threshold: before.threshold, minSample: before.minSample },
      after: { threshold: input.threshold, minSample: input.minSample },
    });
    return (await getThresholds({ db: tx as Db }))[input.metric];
  });
}
