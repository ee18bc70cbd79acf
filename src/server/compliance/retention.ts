/**
 * Data retention: message content is cleared after `contentDays` (90 by default), delivery logs — the status
 * history of messages and the stored webhook items and batches — are deleted after `deliveryLogDays` (a year),
 * and the job outbox forgets rows it handed over after `jobOutboxDays`. Consent records are proof of consent and
 * are never touched here; nor are the messages themselves (who was sent what template when, without the words).
 *
 * Every step works in small batches, one short statement each (no lock held across batches), and selects only
 * rows that still hold something to purge, so a second run finds nothing and changes nothing.
 */
import type { Db } from "@/server/db";
import { writeAudit } from "@/server/audit/audit";

export type RetentionPeriods = { contentDays: number; deliveryLogDays: number; jobOutboxDays: number };

export const defaultRetentionPeriods: RetentionPeriods = { contentDays: 90, deliveryLogDays: 365, jobOutboxDays: 30 };

export type RetentionCounts = {
  /** messages whose body and template parameters were cleared */
  messageContentCleared: number;
  /** broadcast recipients whose rendered parameters were cleared */
  broadcastParametersCleared: number;
  /** stored webhook items whose payload (texts, media ids, names, numbers) was cleared */
  webhookItemPayloadsCleared: number;
  /** stored webhook batches whose raw payload was cleared */
  webhookBatchPayloadsCleared: number;
  messageStatusEventsDeleted: number;
  webhookItemsDeleted: number;
  webhookBatchesDeleted: number;
  jobOutboxRowsDeleted: number;
};

/** Rows per statement: small enough that a batch holds its row locks for milliseconds. */
export const retentionBatchSize = 500;

/** What an item still being worked on (or about to be retried) looks like: its payload is needed. */
const inFlightItemStatuses = ["PENDING", "PROCESSING", "FAILED"];

const dayMs = 24 * 60 * 60 * 1000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * dayMs);

/** Runs `statement` until a batch touches fewer rows than the batch size; returns the rows touched in all. */
async function inBatches(statement: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const touched = await statement();
    total += touched;
    if (touched < batchSize) return total;
  }
}

export async function clearExpiredContent({
  db,
  now,
  contentDays,
  batchSize = retentionBatchSize,
}: {
  db: Db;
  now: Date;
  contentDays: number;
  batchSize?: number;
}) {
  const cutoff = daysBefore(now, contentDays);
  // SKIP LOCKED: a row a send or a webhook holds right now is left for the next batch or the next day
  const messageContentCleared = await inBatches(
    () => db.$executeRaw`
      UPDATE "messages" SET "body" = NULL, "parameters" = '{}'
      WHERE "id" IN (
        SELECT "id" FROM "messages"
        WHERE "createdAt" < ${cutoff} AND ("body" IS NOT NULL OR cardinality("parameters") > 0)
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  const broadcastParametersCleared = await inBatches(
    () => db.$executeRaw`
      UPDATE "broadcast_recipients" SET "parameters" = '{}'
      WHERE "id" IN (
        SELECT r."id" FROM "broadcast_recipients" r JOIN "broadcasts" b ON b."id" = r."broadcastId"
        WHERE b."createdAt" < ${cutoff} AND cardinality(r."parameters") > 0
          AND r."status" NOT IN ('PENDING', 'SENDING')
        LIMIT ${batchSize} FOR UPDATE OF r SKIP LOCKED)`,
    batchSize,
  );
  const webhookItemPayloadsCleared = await inBatches(
    () => db.$executeRaw`
      UPDATE "webhook_items" SET "payload" = '{}'::jsonb
      WHERE "id" IN (
        SELECT "id" FROM "webhook_items"
        WHERE "createdAt" < ${cutoff} AND "payload" <> '{}'::jsonb
          AND "status"::text <> ALL(${inFlightItemStatuses}::text[])
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  // a batch's raw payload repeats its items' payloads; nothing reads it once its items are stored
  const webhookBatchPayloadsCleared = await inBatches(
    () => db.$executeRaw`
      UPDATE "webhook_events" SET "payload" = '{}'::jsonb
      WHERE "id" IN (
        SELECT "id" FROM "webhook_events"
        WHERE "receivedAt" < ${cutoff} AND "payload" <> '{}'::jsonb
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  return { messageContentCleared, broadcastParametersCleared, webhookItemPayloadsCleared, webhookBatchPayloadsCleared };
}

export async function deleteExpiredDeliveryLogs({
  db,
  now,
  deliveryLogDays,
  batchSize = retentionBatchSize,
}: {
  db: Db;
  now: Date;
  deliveryLogDays: number;
  batchSize?: number;
}) {
  const cutoff = daysBefore(now, deliveryLogDays);
  const messageStatusEventsDeleted = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "message_status_events"
      WHERE "id" IN (
        SELECT "id" FROM "message_status_events" WHERE "createdAt" < ${cutoff}
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  const webhookItemsDeleted = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "webhook_items"
      WHERE "id" IN (
        SELECT "id" FROM "webhook_items"
        WHERE "createdAt" < ${cutoff} AND "status"::text <> ALL(${inFlightItemStatuses}::text[])
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  // a batch goes once none of its items is left (an item still in flight keeps its batch)
  const webhookBatchesDeleted = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "webhook_events"
      WHERE "id" IN (
        SELECT e."id" FROM "webhook_events" e
        WHERE e."receivedAt" < ${cutoff} AND NOT EXISTS (SELECT 1 FROM "webhook_items" i WHERE i."eventId" = e."id")
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  return { messageStatusEventsDeleted, webhookItemsDeleted, webhookBatchesDeleted };
}

/**
 * Outbox rows are written for every event and, inline, for every cron tick; once handed over (or given up) they
 * are only history. A row not dispatched yet is never deleted, however old.
 */
export async function deleteDispatchedJobRows({
  db,
  now,
  jobOutboxDays,
  batchSize = retentionBatchSize,
}: {
  db: Db;
  now: Date;
  jobOutboxDays: number;
  batchSize?: number;
}) {
  const cutoff = daysBefore(now, jobOutboxDays);
  const jobOutboxRowsDeleted = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "job_outbox"
      WHERE "id" IN (
        SELECT "id" FROM "job_outbox" WHERE "dispatchedAt" IS NOT NULL AND "dispatchedAt" < ${cutoff}
        LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
  );
  return { jobOutboxRowsDeleted };
}

/** Writes what a run purged to the audit trail; a run that purged nothing writes nothing (and changes nothing). */
export async function auditRetentionRun({
  db,
  now,
  periods,
  counts,
}: {
  db: Db;
  now: Date;
  periods: RetentionPeriods;
  counts: RetentionCounts;
}): Promise<boolean> {
  if (Object.values(counts).every((count) => count === 0)) return false;
  await writeAudit(db, {
    actor: { userId: null, label: "system" },
    action: "retention.purged",
    targetType: "retention",
    after: counts,
    metadata: { ranAt: now.toISOString(), periodsInDays: periods },
  });
  return true;
}

/** One whole retention run, in the order the daily job runs it. */
export async function runRetention({
  db,
  now = new Date(),
  periods = defaultRetentionPeriods,
  batchSize = retentionBatchSize,
}: {
  db: Db;
  now?: Date;
  periods?: RetentionPeriods;
  batchSize?: number;
}): Promise<RetentionCounts> {
  const counts: RetentionCounts = {
    ...(await clearExpiredContent({ db, now, contentDays: periods.contentDays, batchSize })),
    ...(await deleteExpiredDeliveryLogs({ db, now, deliveryLogDays: periods.deliveryLogDays, batchSize })),
    ...(await deleteDispatchedJobRows({ db, now, jobOutboxDays: periods.jobOutboxDays, batchSize })),
  };
  await auditRetentionRun({ db, now, periods, counts });
  return counts;
}
