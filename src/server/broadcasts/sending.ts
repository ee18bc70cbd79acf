/**
 * Sending a broadcast, chunk by chunk, in the steps of the broadcast jobs (src/server/broadcasts/jobs.ts), run by
 * Inngest or in process (RECADO_JOBS=inline) alike.
 *
 * A chunk is a range of recipients (by seq), twenty seconds of the number's throughput (chunkSizeFor). Inngest
 * runs at most one chunk per number at a time and starts at most one per second per number (flow control keyed
 * by the number). Inside a chunk, recipients go out in batches of one second of throughput, each batch claimed
 * while the one before it is still sending so the number never idles between them; every send leaves at a slot
 * reserved from the number's shared pacing row (src/server/throughput), so all paths together stay under Meta's
 * limit. Progress is recorded batch by batch, and a pause or cancel is seen within a batch.
 *
 * At most once per recipient: a recipient is claimed (PENDING → SENDING, attempt time recorded) before its send,
 * and its message is recorded before Meta is called (idempotency key per recipient and attempt) with the wamid
 * after. A chunk that dies mid-way is re-run: a recipient left in SENDING with no message was never offered to
 * Meta and is sent; one with a message is never sent again — its wamid says SENT, its absence UNKNOWN.
 */
import type { Db } from "@/server/db";
import { evaluateBroadcastThresholds } from "@/server/monitoring/delivery-rates";
import type { jobEvents, PayloadOf } from "@/server/jobs/events";
import { isAppError } from "@/server/errors";
import {
  loadSendingNumber,
  offerToMeta,
  prepareSend,
  recordMetaAnswer,
  type SendingNumber,
  type SendResult,
} from "@/server/messaging/send";
import { startPacedRun, type Deferral, type PacedRun } from "@/server/throughput/paced-run";
import { throughputLimitFor } from "@/server/throughput/pacing";
import { stopBroadcast } from "@/server/broadcasts/lifecycle";

export type ChunkEvent = PayloadOf<typeof jobEvents.broadcastChunk>;

export type ChunkResult =
  | { state: "done" | "over" | "stopped"; sent: number; failed: number }
  | { state: "deferred"; sent: number; failed: number; retryAfterMs: number }
  | { state: "paused"; sent: number; failed: number };

/** Flow control for chunk jobs: keyed by the sending number (see the module comment). */
export const chunkFlowControl = {
  throttle: { key: "event.data.phoneNumberId", limit: 1, period: "1s" },
  concurrency: { key: "event.data.phoneNumberId", limit: 1 },
} as const;

/**
 * Seconds of the number's throughput per chunk. Between chunks a few queries run while nothing is sent; twenty
 * seconds' worth keeps that pause well under 1% of the sending time, and pause or cancel do not wait for a chunk
 * to end (see the batches).
 */
export const chunkSeconds = 20;

/** Recipients per chunk: twenty seconds of the number's throughput (1,600 at STANDARD, 20,000 at HIGH). */
export function chunkSizeFor(throughputLevel: string | null | undefined) {
  return throughputLimitFor(throughputLevel) * chunkSeconds;
}

/** Recipients per batch inside a chunk: one second of the number's throughput. */
export function batchSizeFor(throughputLevel: string | null | undefined) {
  return throughputLimitFor(throughputLevel);
}

/** Splits a started broadcast into chunk events (no rows are read but the broadcast's own). */
export async function planBroadcastChunks({ db, broadcastId }: { db: Db; broadcastId: string }): Promise<ChunkEvent[]> {
  const broadcast = await db.broadcast.findUniqueOrThrow({
    where: { id: broadcastId },
    select: { id: true, tenantId: true, total: true, phoneNumberId: true, phoneNumber: { select: { throughputLevel: true } } },
  });
  if (!broadcast.phoneNumberId) return [];
  const size = chunkSizeFor(broadcast.phoneNumber?.throughputLevel);
  const chunks: ChunkEvent[] = [];
  for (let from = 1; from <= broadcast.total; from += size) {
    chunks.push({
      broadcastId,
      tenantId: broadcast.tenantId,
      phoneNumberId: broadcast.phoneNumberId,
      fromSeq: from,
      toSeq: Math.min(broadcast.total, from + size - 1),
    });
  }
  return chunks;
}

type ClaimedRecipient = { id: string; seq: number; contactId: string; parameters: string[]; deferrals: number };

const idempotencyKeyFor = (broadcastId: string, recipient: { id: string; deferrals: number }) =>
  `broadcast:${broadcastId}:${recipient.id}:${recipient.deferrals}`;

/**
 * Recipients a dead run left in SENDING: with no message they were never offered to Meta and go back to
 * PENDING; with a message they are never resent — SENT if Meta's wamid was recorded, FAILED if Meta's refusal
 * was, UNKNOWN otherwise.
 */
async function settleInterrupted(db: Db, chunk: ChunkEvent) {
  await db.$executeRaw`
    UPDATE "broadcast_recipients" AS r
    SET "status" = CASE WHEN m."id" IS NULL THEN 'PENDING'::"BroadcastRecipientStatus"
                        WHEN m."wamid" IS NOT NULL THEN 'SENT'::"BroadcastRecipientStatus"
                        WHEN m."status" = 'FAILED' THEN 'FAILED'::"BroadcastRecipientStatus"
                        ELSE 'UNKNOWN'::"BroadcastRecipientStatus" END,
        "messageId" = m."id", "wamid" = m."wamid", "sentAt" = CASE WHEN m."wamid" IS NOT NULL THEN m."createdAt" END,
        "appErrorCode" = CASE WHEN m."wamid" IS NULL AND m."status" = 'FAILED' THEN m."appErrorCode" END,
        "errorCode" = CASE WHEN m."wamid" IS NULL AND m."status" = 'FAILED' THEN m."errorCode" END,
        "errorTitle" = CASE WHEN m."wamid" IS NULL AND m."status" = 'FAILED' THEN m."errorTitle"
                            WHEN m."id" IS NOT NULL AND m."wamid" IS NULL THEN 'Sending was interrupted; not resent so nobody gets it twice' END
    FROM "broadcast_recipients" AS r2
    LEFT JOIN "messages" AS m ON m."tenantId" = ${chunk.tenantId}
      AND m."idempotencyKey" = 'broadcast:' || ${chunk.broadcastId} || ':' || r2."id" || ':' || r2."deferrals"
    WHERE r."id" = r2."id" AND r2."broadcastId" = ${chunk.broadcastId} AND r2."status" = 'SENDING'
      AND r2."seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq}`;
}

async function claimRecipients(db: Db, broadcastId: string, fromSeq: number, toSeq: number): Promise<ClaimedRecipient[]> {
  return db.$queryRaw<ClaimedRecipient[]>`
    UPDATE "broadcast_recipients" SET "status" = 'SENDING', "attemptedAt" = now()
    WHERE "broadcastId" = ${broadcastId} AND "seq" BETWEEN ${fromSeq} AND ${toSeq}
      AND "status" = 'PENDING' AND ("notBefore" IS NULL OR "notBefore" <= now()) AND "contactId" IS NOT NULL
    RETURNING "id", "seq", "contactId", "parameters", "deferrals"`;
}

function failureOf(error: Error) {
  return {
    appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR",
    errorCode: (isAppError(error) ? error.metaCode : undefined) ?? null,
    errorTitle: error.message.slice(0, 300),
  };
}

/** A recipient not offered to Meta because the broadcast was paused, cancelled or stopped meanwhile. */
class Halted extends Error {
  constructor() {
    super("the broadcast is no longer sending");
  }
}

/** The broadcast's status while a chunk sends: read at most every `everyMs`, so every send can ask. */
function statusWatch(db: Db, broadcastId: string, everyMs = 250) {
  let readAt = -Infinity;
  let status: Promise<string> = Promise.resolve("SENDING");
  return () => {
    if (performance.now() - readAt >= everyMs) {
      readAt = performance.now();
      const previous = status;
      status = db.broadcast.findUniqueOrThrow({ where: { id: broadcastId }, select: { status: true } }).then(
        (b) => b.status as string,
        () => previous,
      ); // a failed read keeps the last answer
    }
    return status;
  };
}

type Failure = { id: string } & ReturnType<typeof failureOf>;
type BatchResult = { sent: number; failed: number; deferred: number; halted: number; failures: Failure[] };

type BatchContext = {
  db: Db;
  chunk: ChunkEvent;
  broadcast: { tenantId: string; templateName: string; templateLanguage: string; throughputLevel: string | null | undefined };
  from: SendingNumber;
  broadcastStatus: () => Promise<string>;
};

type Outcome = { recipient: ClaimedRecipient } & (
  { status: "sent"; result: SendResult } | { status: "failed"; error: Error } | ({ status: "deferred" } & Deferral)
);

/**
 * One recipient at its turn of the paced run: prepared (checked, attempt recorded) half a second before its slot,
 * offered to Meta at the slot, Meta's answer recorded. A rate limit is not waited out per message: the recipient
 * is handed back (deferred) and, on 130429, the number pauses.
 */
async function sendToRecipient(
  { db, chunk, broadcast, from, broadcastStatus }: BatchContext,
  run: PacedRun,
  index: number,
  recipient: ClaimedRecipient,
): Promise<Outcome> {
  const turn = await run.turn(index);
  try {
    if ((await broadcastStatus()) !== "SENDING") throw new Halted();
    const prepared = await prepareSend({
      db,
      tenantId: broadcast.tenantId,
      contactId: recipient.contactId,
      content: {
        kind: "template",
        templateName: broadcast.templateName,
        language: broadcast.templateLanguage,
        parameters: recipient.parameters,
      },
      source: "broadcast",
      idempotencyKey: idempotencyKeyFor(chunk.broadcastId, recipient),
      from,
    });
    if (prepared.replayed) return { recipient, status: "sent", result: prepared.result };
    const slot = await turn.slot();
    const answer = await offerToMeta(prepared.send).finally(slot.answered);
    return { recipient, status: "sent", result: await recordMetaAnswer({ db, send: prepared.send, answer }) };
  } catch (error) {
    const deferral = await turn.deferral(error, recipient.deferrals);
    return deferral ? { recipient, status: "deferred", ...deferral } : { recipient, status: "failed", error: error as Error };
  } finally {
    turn.end();
  }
}

/** Sends one claimed batch at its slots and records every outcome. */
async function sendBatch(context: BatchContext, claimed: ClaimedRecipient[]): Promise<BatchResult> {
  const { db, chunk, broadcast } = context;
  const run = await startPacedRun({
    db,
    phoneNumberId: chunk.phoneNumberId,
    throughputLevel: broadcast.throughputLevel,
    count: claimed.length,
  });
  const outcomes = await Promise.all(claimed.map((recipient, index) => sendToRecipient(context, run, index, recipient)));

  const sent = outcomes.flatMap((o) =>
    o.status === "sent" ? [{ id: o.recipient.id, messageId: o.result.messageId, wamid: o.result.wamid }] : [],
  );
  const failed = outcomes.flatMap((o): Failure[] =>
    o.status === "failed" && !(o.error instanceof Halted) ? [{ id: o.recipient.id, ...failureOf(o.error) }] : [],
  );
  const halted = outcomes.flatMap((o) => (o.status === "failed" && o.error instanceof Halted ? [o.recipient.id] : []));
  const deferred = outcomes.flatMap((o) => (o.status === "deferred" ? [{ id: o.recipient.id, retryAfterMs: o.retryAfterMs }] : []));

  if (sent.length) {
    await db.$executeRaw`
      UPDATE "broadcast_recipients" AS r SET "status" = 'SENT', "messageId" = s."messageId", "wamid" = s."wamid", "sentAt" = now()
      FROM unnest(${sent.map((s) => s.id)}::text[], ${sent.map((s) => s.messageId)}::text[], ${sent.map((s) => s.wamid)}::text[]) AS s("id", "messageId", "wamid")
      WHERE r."id" = s."id"`;
  }
  if (failed.length) {
    await db.$executeRaw`
      UPDATE "broadcast_recipients" AS r SET "status" = 'FAILED', "appErrorCode" = f."appErrorCode", "errorCode" = f."errorCode", "errorTitle" = f."errorTitle"
      FROM unnest(${failed.map((f) => f.id)}::text[], ${failed.map((f) => f.appErrorCode)}::text[], ${failed.map((f) => f.errorCode)}::int[], ${failed.map((f) => f.errorTitle)}::text[])
        AS f("id", "appErrorCode", "errorCode", "errorTitle")
      WHERE r."id" = f."id"`;
  }
  if (deferred.length) {
    await db.$executeRaw`
      UPDATE "broadcast_recipients" AS r SET "status" = 'PENDING', "deferrals" = r."deferrals" + 1,
             "notBefore" = now() + make_interval(secs => d."waitMs" / 1000.0)
      FROM unnest(${deferred.map((d) => d.id)}::text[], ${deferred.map((d) => d.retryAfterMs)}::float8[]) AS d("id", "waitMs")
      WHERE r."id" = d."id"`;
  }
  if (halted.length) {
    // back in line for when the broadcast resumes; cancelled with it if it will not (cancel and stop mark the
    // pending ones themselves: whichever of the two updates comes second sees the other's result)
    await db.$executeRaw`
      UPDATE "broadcast_recipients" AS r
      SET "status" = CASE WHEN b."status" IN ('SENDING', 'PAUSED') THEN 'PENDING'::"BroadcastRecipientStatus" ELSE 'CANCELLED'::"BroadcastRecipientStatus" END
      FROM "broadcasts" AS b
      WHERE b."id" = ${chunk.broadcastId} AND r."broadcastId" = b."id" AND r."id" = ANY(${halted}::text[]) AND r."status" = 'SENDING'`;
  }
  return { sent: sent.length, failed: failed.length, deferred: deferred.length, halted: halted.length, failures: failed };
}

/** Sends what is due in one chunk, batch by batch, and records every outcome. Safe to run again. */
export async function sendBroadcastChunk({ db, chunk }: { db: Db; chunk: ChunkEvent }): Promise<ChunkResult> {
  const broadcast = await db.broadcast.findUniqueOrThrow({
    where: { id: chunk.broadcastId },
    select: {
      status: true,
      templateName: true,
      templateLanguage: true,
      tenantId: true,
      phoneNumber: { select: { throughputLevel: true } },
    },
  });
  if (broadcast.status === "PAUSED") return { state: "paused", sent: 0, failed: 0 };
  if (broadcast.status !== "SENDING") return { state: "over", sent: 0, failed: 0 };

  await settleInterrupted(db, chunk);
  let from: SendingNumber;
  try {
    from = await loadSendingNumber({ db, tenantId: broadcast.tenantId });
  } catch (error) {
    // WhatsApp switched off or the number taken away mid-broadcast: nothing can be sent
    await stopBroadcast({
      db,
      broadcastId: chunk.broadcastId,
      reason: (error as Error).message,
      details: { appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR" },
    });
    return { state: "stopped", sent: 0, failed: 0 };
  }

  const throughputLevel = broadcast.phoneNumber?.throughputLevel;
  const context: BatchContext = {
    db,
    chunk,
    broadcast: { ...broadcast, throughputLevel },
    from,
    broadcastStatus: statusWatch(db, chunk.broadcastId),
  };
  const size = batchSizeFor(throughputLevel);
  const totals = { sent: 0, failed: 0 };
  const add = (result: BatchResult) => {
    totals.sent += result.sent;
    totals.failed += result.failed;
  };

  // One batch sends while the next is claimed and lined up behind it (its slots follow on the number's row).
  // Every batch started is awaited before the chunk ends, also when one of them fails: a retried step must not
  // run beside sends of this one still under way.
  const started: Promise<BatchResult>[] = [];
  const start = (claimed: ClaimedRecipient[]) => {
    const batch = sendBatch(context, claimed);
    batch.catch(() => {}); // awaited below; this only keeps a rejection meanwhile from being "unhandled"
    started.push(batch);
    return batch;
  };
  try {
    let previous: Promise<BatchResult> | null = null;
    for (let from = chunk.fromSeq; from <= chunk.toSeq; from += size) {
      if ((await context.broadcastStatus()) !== "SENDING") break;
      const claimed = await claimRecipients(db, chunk.broadcastId, from, Math.min(chunk.toSeq, from + size - 1));
      if (claimed.length === 0) continue;
      const current = start(claimed);

      // If the broadcast's very first batch fails entirely, something is wrong with the account, not
      // the recipients — stop before anyone else is tried.
      if (claimed.some((r) => r.seq === 1 && r.deferrals === 0)) {
        const first = await current;
        add(first);
        if (first.sent === 0 && first.deferred === 0 && first.halted === 0) {
          const common = mostCommon(first.failures.map((f) => f.appErrorCode));
          await stopBroadcast({
            db,
            broadcastId: chunk.broadcastId,
            reason: `${common}: ${first.failures[0]?.errorTitle ?? ""}`.slice(0, 300),
            details: { appErrorCode: common, failed: first.failed },
          });
          return { state: "stopped", ...totals };
        }
        continue;
      }
      if (previous) add(await previous);
      previous = current;
    }
    if (previous) add(await previous);
  } finally {
    await Promise.allSettled(started);
  }

  const status = (await db.broadcast.findUniqueOrThrow({ where: { id: chunk.broadcastId }, select: { status: true } })).status;
  if (status === "PAUSED") return { state: "paused", ...totals };
  if (status !== "SENDING") return { state: "over", ...totals };

  const [left] = await db.$queryRaw<{ pending: number; next_ms: number | null }[]>`
    SELECT count(*)::int AS pending, (extract(epoch from min("notBefore") - now()) * 1000)::float8 AS next_ms
    FROM "broadcast_recipients"
    WHERE "broadcastId" = ${chunk.broadcastId} AND "seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq} AND "status" = 'PENDING'`;
  if (left && left.pending > 0) return { state: "deferred", ...totals, retryAfterMs: Math.max(50, Math.ceil(left.next_ms ?? 1000)) };
  await completeIfFinished(db, chunk.broadcastId);
  return { state: "done", ...totals };
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "META_ERROR";
}

/** The last chunk to finish marks the broadcast completed and judges its rates against the alert thresholds. */
export async function completeIfFinished(db: Db, broadcastId: string) {
  const completed = await db.$executeRaw`
    UPDATE "broadcasts" SET "status" = 'COMPLETED', "finishedAt" = now(), "updatedAt" = now()
    WHERE "id" = ${broadcastId} AND "status" = 'SENDING'
      AND NOT EXISTS (SELECT 1 FROM "broadcast_recipients" WHERE "broadcastId" = ${broadcastId} AND "status" IN ('PENDING', 'SENDING'))`;
  if (completed === 0) return;
  // a failure here must not fail the chunk (it would not complete again): the periodic job judges it later
  await evaluateBroadcastThresholds({ db, broadcastId }).catch((error: Error) =>
    console.error("broadcast thresholds:", broadcastId, error.message),
  );
}
