/**
 * Delivery metrics and their alerts. The figures:
 *  - delivery rate: of the messages that left for Meta, the share not failed (a failure Meta reports later by
 *    webhook counts as it arrives). Judged per broadcast.
 *  - read rate: of the delivered, the share read. Judged per broadcast once it finished a day ago (people read later).
 *  - opt-out rate: of a broadcast's recipients it was sent to, the share who opted out since it started.
 *  - Graph API error rate: of the sends through a number in the last 24 h, the share whose call failed on the API's
 *    side — no answer, Meta's own errors, token, permission, throttling, number not registered — not a recipient's
 *    or template's refusal (those are the delivery rate's). Judged per number.
 *  - template rejection rate: of a bakery's reviewed templates, the share rejected. Judged per bakery.
 * A figure over its minimum sample that crosses its threshold raises one alert (deduplicated while open) naming the
 * bakery, number or broadcast, the figure, the threshold and what to do (src/server/monitoring/thresholds.ts).
 */
import { raiseAlert } from "@/server/alerts/alerts";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getThresholds, type MetricName, type Thresholds } from "@/server/monitoring/thresholds";

export type BroadcastRates = {
  broadcastId: string;
  name: string;
  tenantId: string;
  tenantName: string;
  phoneNumber: string | null;
  finishedAt: Date | null;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  optedOut: number;
};

export async function broadcastRates(db: Db, where: { broadcastId?: string; finishedSince?: Date }): Promise<BroadcastRates[]> {
  const rows = await db.$queryRaw<(Omit<BroadcastRates, "broadcastId" | "tenantId" | "tenantName"> & Record<string, unknown>)[]>`
    SELECT b."id" AS broadcast_id, b."name", b."tenantId" AS tenant_id, t."name" AS tenant_name,
           p."displayPhoneNumber" AS "phoneNumber", b."finishedAt" AS "finishedAt",
           count(*) FILTER (WHERE r."status" IN ('SENT', 'FAILED', 'UNKNOWN'))::int AS sent,
           count(*) FILTER (WHERE r."status" IN ('FAILED', 'UNKNOWN') OR m."status" = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE m."status" IN ('DELIVERED', 'READ'))::int AS delivered,
           count(*) FILTER (WHERE m."status" = 'READ')::int AS read,
           count(*) FILTER (WHERE r."status" IN ('SENT', 'FAILED', 'UNKNOWN') AND c."optedOutAt" >= b."startedAt")::int AS "optedOut"
    FROM "broadcasts" b
    JOIN "tenants" t ON t."id" = b."tenantId"
    LEFT JOIN "phone_numbers" p ON p."id" = b."phoneNumberId"
    JOIN "broadcast_recipients" r ON r."broadcastId" = b."id"
    LEFT JOIN "messages" m ON m."id" = r."messageId"
    LEFT JOIN "contacts" c ON c."id" = r."contactId"
    WHERE b."startedAt" IS NOT NULL
      AND (${where.broadcastId ?? null}::text IS NULL OR b."id" = ${where.broadcastId ?? null})
      AND (${where.finishedSince ?? null}::timestamp IS NULL OR b."finishedAt" >= ${where.finishedSince ?? null})
    GROUP BY b."id", t."name", p."displayPhoneNumber"`;
  return rows.map((r) => ({
    broadcastId: String(r.broadcast_id),
    name: r.name,
    tenantId: String(r.tenant_id),
    tenantName: String(r.tenant_name),
    phoneNumber: r.phoneNumber,
    finishedAt: r.finishedAt,
    sent: r.sent,
    failed: r.failed,
    delivered: r.delivered,
    read: r.read,
    optedOut: r.optedOut,
  }));
}

const percent = (share: number) => `${(share * 100).toFixed(1).replace(/\.0$/, "")}%`;

/** A figure judged against its threshold: null when the sample is under the minimum or the figure is on the right side. */
export function crossing(thresholds: Thresholds, metric: MetricName, hits: number, sample: number) {
  const t = thresholds[metric];
  if (sample < t.minSample || sample === 0) return null;
  const figure = hits / sample;
  const crossed = t.direction === "below" ? figure < t.threshold : figure > t.threshold;
  return crossed ? { metric, figure, sample, threshold: t } : null;
}

type Crossing = NonNullable<ReturnType<typeof crossing>>;

async function alertCrossing(
  db: Db,
  c: Crossing,
  scope: { key: string; where: string; tenantId?: string; phoneNumberId?: string; details: Record<string, string | null> },
) {
  const t = c.threshold;
  const comparison = t.direction === "below" ? "below" : "above";
  await raiseAlert({
    db,
    kind: `metric_${c.metric}`,
    severity: "WARNING",
    dedupeKey: `metric:${c.metric}:${scope.key}`,
    tenantId: scope.tenantId,
    phoneNumberId: scope.phoneNumberId,
    title: `${scope.where}: ${t.label.toLowerCase()} ${percent(c.figure)}, ${comparison} the ${percent(t.threshold)} threshold`,
    message: `${t.label} ${percent(c.figure)} over ${c.sample} ${t.unit} (threshold: ${comparison} ${percent(t.threshold)}). ${t.advice}`,
    details: { metric: c.metric, figure: c.figure, threshold: t.threshold, sample: c.sample, ...scope.details },
    params: {
      bakery: scope.details.tenantName ?? null,
      broadcast: scope.details.broadcastName ?? null,
      number: scope.details.phoneNumber ?? null,
      figure: c.figure,
      threshold: t.threshold,
      sample: c.sample,
    },
  });
}

const readRateAfterMs = 24 * 3600_000;

/** Recado's codes for a send whose Graph API call failed as a call (src/server/errors.ts). */
export const apiErrorCodes = [
  "META_UNAVAILABLE",
  "META_ERROR",
  "TOKEN_EXPIRED",
  "PERMISSION_DENIED",
  "RATE_LIMIT_EXCEEDED",
  "PHONE_NUMBER_NOT_REGISTERED",
];

/** One broadcast's delivery, opt-out and (a day after it finished) read rates against their thresholds. */
export async function evaluateBroadcastThresholds({ db, broadcastId, now = new Date() }: { db: Db; broadcastId: string; now?: Date }) {
  const [thresholds, rates] = await Promise.all([getThresholds({ db }), broadcastRates(db, { broadcastId })]);
  return alertBroadcasts(db, thresholds, rates, now);
}

async function alertBroadcasts(db: Db, thresholds: Thresholds, rates: BroadcastRates[], now: Date) {
  const raised: Crossing[] = [];
  for (const b of rates) {
    const readJudged = b.finishedAt !== null && now.getTime() - b.finishedAt.getTime() >= readRateAfterMs;
    const found = [
      crossing(thresholds, "delivery_rate", b.sent - b.failed, b.sent),
      crossing(thresholds, "opt_out_rate", b.optedOut, b.sent),
      readJudged ? crossing(thresholds, "read_rate", b.read, b.delivered) : null,
    ].filter((c): c is Crossing => c !== null);
    for (const c of found) {
      await alertCrossing(db, c, {
        key: `broadcast:${b.broadcastId}`,
        where: `${b.tenantName}, broadcast "${b.name}"${b.phoneNumber ? ` from ${b.phoneNumber}` : ""}`,
        tenantId: b.tenantId,
        details: { tenantName: b.tenantName, broadcastId: b.broadcastId, broadcastName: b.name, phoneNumber: b.phoneNumber },
      });
      raised.push(c);
    }
  }
  return raised;
}

/**
 * Every metric, for the periodic job: broadcasts that finished in the last 8 days (so each gets its read rate
 * judged), each number's Graph API errors of the last 24 h, each bakery's template rejections.
 */
export async function evaluateAllThresholds({ db, now = new Date() }: { db: Db; now?: Date }) {
  const thresholds = await getThresholds({ db });
  const raised = await alertBroadcasts(
    db,
    thresholds,
    await broadcastRates(db, { finishedSince: new Date(now.getTime() - 8 * 86400_000) }),
    now,
  );

  const since = new Date(now.getTime() - 24 * 3600_000);
  const numbers = await db.$queryRaw<
    { id: string; display: string; tenant_id: string | null; tenant_name: string | null; sent: number; refused: number }[]
  >`
    SELECT p."id", p."displayPhoneNumber" AS display, s."tenantId" AS tenant_id, t."name" AS tenant_name,
           count(*)::int AS sent, count(*) FILTER (WHERE m."status" = 'FAILED' AND m."wamid" IS NULL AND m."appErrorCode" = ANY(${apiErrorCodes}))::int AS refused
    FROM "messages" m JOIN "phone_numbers" p ON p."id" = m."phoneNumberId"
    LEFT JOIN "whatsapp_settings" s ON s."phoneNumberId" = p."id" LEFT JOIN "tenants" t ON t."id" = s."tenantId"
    WHERE m."direction" = 'OUTBOUND' AND m."status" <> 'PENDING' AND m."createdAt" >= ${since}
    GROUP BY p."id", s."tenantId", t."name"`;
  const day = now.toISOString().slice(0, 10);
  for (const n of numbers) {
    const c = crossing(thresholds, "api_error_rate", n.refused, n.sent);
    if (!c) continue;
    await alertCrossing(db, c, {
      key: `number:${n.id}:${day}`,
      where: `${n.tenant_name ? `${n.tenant_name}, ` : ""}number ${n.display} (last 24 h)`,
      tenantId: n.tenant_id ?? undefined,
      phoneNumberId: n.id,
      details: { tenantName: n.tenant_name, phoneNumber: n.display },
    });
    raised.push(c);
  }

  const bakeries = await db.$queryRaw<{ id: string; name: string; reviewed: number; rejected: number }[]>`
    SELECT t."id", t."name", count(*)::int AS reviewed, count(*) FILTER (WHERE mt."status" = 'REJECTED')::int AS rejected
    FROM "message_templates" mt
    JOIN "business_accounts" a ON a."id" = mt."businessAccountId"
    JOIN "tenants" t ON t."id" = COALESCE(mt."ownerTenantId", a."tenantId")
    WHERE mt."status" IN ('APPROVED', 'REJECTED')
    GROUP BY t."id"`;
  for (const b of bakeries) {
    const c = crossing(thresholds, "template_rejection_rate", b.rejected, b.reviewed);
    if (!c) continue;
    await alertCrossing(db, c, { key: `tenant:${b.id}`, where: b.name, tenantId: b.id, details: { tenantName: b.name } });
    raised.push(c);
  }
  return { raised: raised.length };
}

export type DailyRates = {
  /** UTC day, YYYY-MM-DD */
  day: string;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  optedOut: number;
  apiErrors: number;
  /** templates Meta decided on that day (approved or rejected, from the audit trail) and of them the rejected */
  templatesDecided: number;
  templatesRejected: number;
  /** null when nothing was sent (no template decided) that day */
  deliveryRate: number | null;
  readRate: number | null;
  optOutRate: number | null;
  apiErrorRate: number | null;
  templateRejectionRate: number | null;
  /**
   * false while the day's read rate is not final: the day is not over, or its last messages are younger than the
   * read window (people read later), so it is shown but never judged against the threshold.
   */
  readJudged: boolean;
};

/** How long after a message its read rate is final (the same window a broadcast's read rate waits). */
export const readWindowMs = readRateAfterMs;

/**
 * The last `days` UTC days (today included) of outbound messages, for charts: one bakery's (tenantId) or the
 * platform's; days without sends are there with null rates. Opt-outs are the bakery's contacts who opted out that day.
 * Template decisions are the audit trail's template.approved / template.rejected entries of that day (the bakery's,
 * or every one on the platform's series, platform templates included): a template rejected, rewritten and approved
 * counts once each day Meta decided on it.
 */
export async function dailyRates({ db, tenantId, days = 30, now = new Date() }: { db: Db; tenantId?: string; days?: number; now?: Date }) {
  const tenant = tenantId ?? null;
  const rows = await db.$queryRaw<
    {
      day: string;
      sent: number;
      failed: number;
      delivered: number;
      read: number;
      api_errors: number;
      opted_out: number;
      decided: number;
      rejected: number;
    }[]
  >`
    WITH days AS (
      SELECT generate_series(date_trunc('day', ${now}::timestamp) - make_interval(days => ${days - 1}), date_trunc('day', ${now}::timestamp),
                             interval '1 day') AS day
    ), sends AS (
      SELECT date_trunc('day', m."createdAt") AS day,
             count(*)::int AS sent,
             count(*) FILTER (WHERE m."status" = 'FAILED')::int AS failed,
             count(*) FILTER (WHERE m."status" IN ('DELIVERED', 'READ'))::int AS delivered,
             count(*) FILTER (WHERE m."status" = 'READ')::int AS read,
             count(*) FILTER (WHERE m."status" = 'FAILED' AND m."wamid" IS NULL AND m."appErrorCode" = ANY(${apiErrorCodes}))::int AS api_errors
      FROM "messages" m
      WHERE m."direction" = 'OUTBOUND' AND m."status" <> 'PENDING'
        AND m."createdAt" >= date_trunc('day', ${now}::timestamp) - make_interval(days => ${days - 1})
        AND (${tenant}::text IS NULL OR m."tenantId" = ${tenant})
      GROUP BY 1
    ), optouts AS (
      SELECT date_trunc('day', c."optedOutAt") AS day, count(*)::int AS opted_out
      FROM "contacts" c
      WHERE c."optedOutAt" >= date_trunc('day', ${now}::timestamp) - make_interval(days => ${days - 1})
        AND (${tenant}::text IS NULL OR c."tenantId" = ${tenant})
      GROUP BY 1
    ), decisions AS (
      SELECT date_trunc('day', a."createdAt") AS day, count(*)::int AS decided,
             count(*) FILTER (WHERE a."action" = 'template.rejected')::int AS rejected
      FROM "audit_logs" a
      WHERE a."action" IN ('template.approved', 'template.rejected')
        AND a."createdAt" >= date_trunc('day', ${now}::timestamp) - make_interval(days => ${days - 1})
        AND (${tenant}::text IS NULL OR a."tenantId" = ${tenant})
      GROUP BY 1
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(s.sent, 0) AS sent, COALESCE(s.failed, 0) AS failed,
           COALESCE(s.delivered, 0) AS delivered, COALESCE(s.read, 0) AS read, COALESCE(s.api_errors, 0) AS api_errors,
           COALESCE(o.opted_out, 0) AS opted_out, COALESCE(t.decided, 0) AS decided, COALESCE(t.rejected, 0) AS rejected
    FROM days d LEFT JOIN sends s ON s.day = d.day LEFT JOIN optouts o ON o.day = d.day LEFT JOIN decisions t ON t.day = d.day
    ORDER BY d.day`;
  const share = (hits: number, sample: number) => (sample > 0 ? hits / sample : null);
  return rows.map((r): DailyRates => ({
    day: r.day,
    sent: r.sent,
    failed: r.failed,
    delivered: r.delivered,
    read: r.read,
    optedOut: r.opted_out,
    apiErrors: r.api_errors,
    templatesDecided: r.decided,
    templatesRejected: r.rejected,
    deliveryRate: share(r.sent - r.failed, r.sent),
    readRate: share(r.read, r.delivered),
    optOutRate: share(r.opted_out, r.sent),
    apiErrorRate: share(r.api_errors, r.sent),
    templateRejectionRate: share(r.rejected, r.decided),
    // the day's last message was sent by its end: final once the read window has passed after that
    readJudged: Date.parse(`${r.day}T00:00:00Z`) + 86400_000 + readWindowMs <= now.getTime(),
  }));
}

/** The daily series with the thresholds to draw against them. */
export async function dailyRatesWithThresholds(args: { db: Db; tenantId?: string; days?: number }) {
  const [days, thresholds] = await Promise.all([dailyRates(args), getThresholds({ db: args.db })]);
  return { days, thresholds };
}

/**
 * One broadcast of the owner's bakery: its delivery, read and opt-out rates with their samples, against the
 * thresholds they are judged by (for the broadcast page). A broadcast of another bakery is not found.
 */
export async function broadcastRatesWithThresholds({ db, tenantId, broadcastId }: { db: Db; tenantId: string; broadcastId: string }) {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId }, select: { id: true } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  const [thresholds, [rates]] = await Promise.all([getThresholds({ db }), broadcastRates(db, { broadcastId })]);
  const share = (hits: number, sample: number) => (sample > 0 ? hits / sample : null);
  const sent = rates?.sent ?? 0;
  const failed = rates?.failed ?? 0;
  const delivered = rates?.delivered ?? 0;
  const figure = (metric: "delivery_rate" | "read_rate" | "opt_out_rate", hits: number, sample: number) => {
    const t = thresholds[metric];
    const value = share(hits, sample);
    return {
      metric,
      value,
      hits,
      sample,
      threshold: t.threshold,
      minSample: t.minSample,
      direction: t.direction,
      /** judged only over the minimum sample; null when not judged */
      crossed: value === null || sample < t.minSample ? null : crossing(thresholds, metric, hits, sample) !== null,
    };
  };
  return {
    broadcastId,
    rates: [
      figure("delivery_rate", sent - failed, sent),
      figure("read_rate", rates?.read ?? 0, delivered),
      figure("opt_out_rate", rates?.optedOut ?? 0, sent),
    ],
  };
}
