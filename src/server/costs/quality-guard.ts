/**
 * Quality guard. When a number's quality rating drops to YELLOW or RED (Meta: the number's quality reflects how
 * recipients received its messages over recent days: blocks, reports, marketing stops) within a day after a
 * marketing broadcast of the bakery that sends from it, that bakery's marketing broadcasts pause — the running ones
 * are paused and new ones refused (QUALITY_GUARD_HOLD) — until an admin acknowledges the alert. The alert carries the
 * evidence: the drop, the broadcast(s) and their opt-out, marketing-stop and failure signals. Other bakeries, and
 * this bakery's utility broadcasts, are not affected.
 *
 * Evaluated from the number's health timeline (polls and webhooks both record drops there), every 5 minutes by the
 * job quality-guard and for a bakery at the moment it starts or resumes a broadcast.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { raiseAlert } from "@/server/alerts/alerts";
import { writeAudit } from "@/server/audit/audit";

const day = 24 * 60 * 60 * 1000;
export const qualityGuardAlertKind = "quality_guard";

/** SQL: the broadcast `b` sends a template whose category is MARKETING (the bakery's own or the platform's). */
export const marketingBroadcastSql = Prisma.sql`EXISTS (
  SELECT 1 FROM "message_templates" t
   WHERE (t."name" = b."templateName" OR t."tenantName" = b."templateName") AND t."language" = b."templateLanguage"
     AND upper(t."category") = 'MARKETING' AND (t."ownerTenantId" IS NULL OR t."ownerTenantId" = b."tenantId"))`;

type Drop = {
  id: string;
  phoneNumberId: string;
  newValue: string;
  previousValue: string | null;
  createdAt: Date;
  tenantId: string;
  display: string;
};

export async function evaluateQualityGuard({ db, tenantId, now = new Date() }: { db: Db; tenantId?: string; now?: Date }) {
  const drops = await db.$queryRaw<Drop[]>`
    SELECT e."id", e."phoneNumberId", e."newValue", e."previousValue", e."createdAt", s."tenantId", p."displayPhoneNumber" AS display
      FROM "phone_number_health_events" e
      JOIN "phone_numbers" p ON p."id" = e."phoneNumberId"
      JOIN "whatsapp_settings" s ON s."phoneNumberId" = e."phoneNumberId"
     WHERE e."field" = 'qualityRating' AND e."newValue" IN ('YELLOW', 'RED') AND e."createdAt" > ${new Date(now.getTime() - 2 * day)}
       AND (${tenantId ?? null}::text IS NULL OR s."tenantId" = ${tenantId ?? null}::text)
       AND NOT EXISTS (SELECT 1 FROM "alerts" a WHERE a."kind" = ${qualityGuardAlertKind} AND a."details"->>'healthEventId' = e."id")`;
  let raised = 0;
  for (const drop of drops) {
    const broadcasts = await db.$queryRaw<{ id: string; name: string; startedAt: Date; total: number; status: string }[]>`
      SELECT b."id", b."name", b."startedAt", b."total", b."status"::text FROM "broadcasts" b
       WHERE b."tenantId" = ${drop.tenantId} AND b."phoneNumberId" = ${drop.phoneNumberId} AND b."startedAt" IS NOT NULL
         AND b."startedAt" >= ${new Date(drop.createdAt.getTime() - day)} AND b."startedAt" <= ${drop.createdAt}
         AND ${marketingBroadcastSql}
       ORDER BY b."startedAt" DESC`;
    if (broadcasts.length === 0) continue;
    const evidence = await Promise.all(broadcasts.map((b) => signalsOf(db, b)));
    const pausedRows = await db.$queryRaw<{ id: string }[]>`
      UPDATE "broadcasts" b SET "status" = 'PAUSED', "updatedAt" = now()
       WHERE b."tenantId" = ${drop.tenantId} AND b."status" = 'SENDING' AND ${marketingBroadcastSql}
      RETURNING b."id"`;
    const paused = pausedRows.length;
    for (const row of pausedRows) {
      await writeAudit(db, {
        actor: { userId: null, label: "system" },
        action: "broadcast.pause",
        tenantId: drop.tenantId,
        targetType: "broadcast",
        targetId: row.id,
        before: { status: "SENDING" },
        after: { status: "PAUSED", reason: "quality_guard", healthEventId: drop.id },
      });
    }
    const tenant = await db.tenant.findUnique({ where: { id: drop.tenantId }, select: { name: true } });
    await raiseAlert({
      db,
      kind: qualityGuardAlertKind,
      severity: "CRITICAL",
      dedupeKey: `${qualityGuardAlertKind}:${drop.id}`,
      tenantId: drop.tenantId,
      phoneNumberId: drop.phoneNumberId,
      title: `${tenant?.name ?? "A bakery"}: marketing paused after ${drop.display} dropped to ${drop.newValue}`,
      message: `The number's quality fell to ${drop.newValue} within a day of this bakery's marketing broadcast "${broadcasts[0]!.name}". Its marketing broadcasts are paused (${paused} stopped now) until you review this alert: look at the opt-outs and marketing stops below, talk to the bakery, then acknowledge to let marketing go again.`,
      details: {
        healthEventId: drop.id,
        qualityBefore: drop.previousValue,
        qualityAfter: drop.newValue,
        droppedAt: drop.createdAt.toISOString(),
        pausedBroadcasts: paused,
        broadcasts: evidence,
      },
      params: {
        bakery: tenant?.name ?? null,
        number: drop.display,
        to: drop.newValue,
        broadcast: broadcasts[0]!.name,
        paused,
      },
    });
    raised += 1;
  }
  return { raised };
}

/** What recipients did after the broadcast started: opt-outs (STOP), marketing stops, Meta's refusals. */
async function signalsOf(db: Db, b: { id: string; name: string; startedAt: Date; total: number; status: string }) {
  const [row] = await db.$queryRaw<{ opt_outs: number; marketing_stops: number; failed: number; limited: number }[]>`
    SELECT
      (SELECT count(DISTINCT cr."contactId") FROM "consent_records" cr JOIN "broadcast_recipients" r ON r."contactId" = cr."contactId"
        WHERE r."broadcastId" = ${b.id} AND NOT cr."optedIn" AND cr."createdAt" >= ${b.startedAt})::int AS opt_outs,
      (SELECT count(*) FROM "contacts" c JOIN "broadcast_recipients" r ON r."contactId" = c."id"
        WHERE r."broadcastId" = ${b.id} AND c."marketingOptedOutAt" >= ${b.startedAt})::int AS marketing_stops,
      (SELECT count(*) FROM "broadcast_recipients" r LEFT JOIN "messages" m ON m."id" = r."messageId"
        WHERE r."broadcastId" = ${b.id} AND (r."status" = 'FAILED' OR m."status" = 'FAILED'))::int AS failed,
      (SELECT count(*) FROM "marketing_retries" x WHERE x."broadcastId" = ${b.id})::int AS limited`;
  return {
    broadcastId: b.id,
    name: b.name,
    startedAt: b.startedAt.toISOString(),
    recipients: b.total,
    optOuts: row?.opt_outs ?? 0,
    marketingStops: row?.marketing_stops ?? 0,
    failed: row?.failed ?? 0,
    metaLimitedMarketing: row?.limited ?? 0,
  };
}

/** Refuses a marketing broadcast while the bakery has an open quality-guard alert. */
export async function checkQualityGuard({ db, tenantId, now }: { db: Db; tenantId: string; now?: Date }) {
  await evaluateQualityGuard({ db, tenantId, now });
  const open = await db.alert.findFirst({
    where: { kind: qualityGuardAlertKind, tenantId, acknowledgedAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true, title: true, createdAt: true },
  });
  if (!open) return;
  throw new AppError(
    "QUALITY_GUARD_HOLD",
    "Marketing broadcasts are paused: your number's quality dropped after your last marketing broadcast. The platform admin is reviewing it; utility messages still go.",
    {
      alert_id: open.id,
      since: open.createdAt.toISOString(),
      solution: "Wait for the platform admin's review, or send a utility template",
    },
  );
}
