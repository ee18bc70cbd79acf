/**
 * Sending a broadcast, chunk by chunk. The same functions run inside the Inngest functions' steps
 * (src/server/inngest/functions/broadcasts.ts) and in the inline driver (RECADO_JOBS=inline).
 *
 * A chunk is a range of recipients (by seq) a few seconds of the number's throughput long (chunkSizeFor). Inngest runs at most one chunk per number at a time and starts at most one per second per number
 * (flow control keyed by the number); inside a chunk every send leaves at a slot reserved from the number's
 * shared pacing row (src/server/throughput), so all paths together stay under Meta's limit.
 *
 * At most once per recipient: a recipient is claimed (PENDING → SENDING, attempt time recorded) before its send,
 * and its message is recorded before Meta is called (idempotency key per recipient and attempt) with the wamid
 * after. A chunk that dies mid-way is re-run: recipients left in SENDING are never sent again — their message's
 * wamid says SENT, its absence says UNKNOWN.
 */
import type { Db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { sendMessage, loadSender, type Sender } from "@/server/messaging/send";
import { sendPaced, metaCodeOf } from "@/server/throughput/paced-sender";
import { throughputLimitFor } from "@/server/throughput/pacing";
import { stopBroadcast } from "@/server/broadcasts/service";

export type ChunkEvent = { broadcastId: string; tenantId: string; phoneNumberId: string; fromSeq: number; toSeq: number };

export type ChunkResult =
  | { state: "done" | "over" | "stopped"; sent: number; failed: number }
  | { state: "deferred"; sent: number; failed: number; retryAfterMs: number }
  | { state: "paused"; sent: number; failed: number };

/** Inngest flow control for chunks: keyed by the sending number (see the module comment). */
export const chunkFlowControl = {
  throttle: { key: "event.data.phoneNumberId", limit: 1, period: "1s" },
  concurrency: { key: "event.data.phoneNumberId", limit: 1 },
} as const;

/**
 * Seconds of the number's throughput per chunk. Between chunks a few queries run while nothing is sent; five
 * seconds' worth keeps that pause small against the sending time.
 */
export const chunkSeconds = 5;

/** Recipients per chunk: a few seconds of the number's throughput (400 at STANDARD, 5,000 at HIGH). */
export function chunkSizeFor(throughputLevel: string | null | undefined) {
  return throughputLimitFor(throughputLevel) * chunkSeconds;
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
    chunks.push({ broadcastId, tenantId: broadcast.tenantId, phoneNumberId: broadcast.phoneNumberId, fromSeq: from, toSeq: Math.min(broadcast.total, from + size - 1) });
  }
  return chunks;
}

type ClaimedRecipient = { id: string; seq: number; contactId: string; parameters: string[]; deferrals: number };

const idempotencyKeyFor = (broadcastId: string, recipient: { id: string; deferrals: number }) => `broadcast:${broadcastId}:${recipient.id}:${recipient.deferrals}`;

/** Recipients a dead run left in SENDING: SENT if Meta's wamid was recorded, else UNKNOWN (never resent). */
async function settleInterrupted(db: Db, chunk: ChunkEvent) {
  await db.$executeRaw`
    UPDATE "broadcast_recipients" AS r
    SET "status" = CASE WHEN m."wamid" IS NOT NULL THEN 'SENT'::"BroadcastRecipientStatus" ELSE 'UNKNOWN'::"BroadcastRecipientStatus" END,
        "messageId" = m."id", "wamid" = m."wamid", "sentAt" = CASE WHEN m."wamid" IS NOT NULL THEN m."createdAt" END,
        "errorTitle" = CASE WHEN m."wamid" IS NULL THEN 'Sending was interrupted; not resent so nobody gets it twice' END
    FROM "broadcast_recipients" AS r2
    LEFT JOIN "messages" AS m ON m."tenantId" = ${chunk.tenantId}
      AND m."idempotencyKey" = 'broadcast:' || ${chunk.broadcastId} || ':' || r2."id" || ':' || r2."deferrals"
    WHERE r."id" = r2."id" AND r2."broadcastId" = ${chunk.broadcastId} AND r2."status" = 'SENDING'
      AND r2."seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq}`;
}

async function claimRecipients(db: Db, chunk: ChunkEvent): Promise<ClaimedRecipient[]> {
  return db.$queryRaw<ClaimedRecipient[]>`
    UPDATE "broadcast_recipients" SET "status" = 'SENDING', "attemptedAt" = now()
    WHERE "broadcastId" = ${chunk.broadcastId} AND "seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq}
      AND "status" = 'PENDING' AND ("notBefore" IS NULL OR "notBefore" <= now()) AND "contactId" IS NOT NULL
    RETURNING "id", "seq", "contactId", "parameters", "deferrals"`;
}

function failureOf(error: Error) {
  return {
    appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR",
    errorCode: metaCodeOf(error) ?? null,
    errorTitle: error.message.slice(0, 300),
  };
}

/** Sends what is due in one chunk and records every outcome. Safe to run again. */
export async function sendBroadcastChunk({ db, chunk }: { db: Db; chunk: ChunkEvent }): Promise<ChunkResult> {
  const broadcast = await db.broadcast.findUniqueOrThrow({
    where: { id: chunk.broadcastId },
    select: { status: true, templateName: true, templateLanguage: true, tenantId: true, phoneNumber: { select: { throughputLevel: true } } },
  });
  if (broadcast.status === "PAUSED") return { state: "paused", sent: 0, failed: 0 };
  if (broadcast.status !== "SENDING") return { state: "over", sent: 0, failed: 0 };

  await settleInterrupted(db, chunk);
  let sender: Sender;
  try {
    sender = await loadSender({ db, tenantId: broadcast.tenantId });
  } catch (error) {
    // WhatsApp switched off or the number taken away mid-broadcast: nothing can be sent
    await stopBroadcast({ db, broadcastId: chunk.broadcastId, reason: (error as Error).message, details: { appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR" } });
    return { state: "stopped", sent: 0, failed: 0 };
  }

  const claimed = await claimRecipients(db, chunk);
  const { outcomes } = await sendPaced({
    db,
    phoneNumberId: chunk.phoneNumberId,
    throughputLevel: broadcast.phoneNumber?.throughputLevel,
    items: claimed,
    pairAttemptOf: (recipient) => recipient.deferrals,
    send: (recipient, paced) =>
      sendMessage({
        db,
        tenantId: broadcast.tenantId,
        contactId: recipient.contactId,
        content: { kind: "template", templateName: broadcast.templateName, language: broadcast.templateLanguage, parameters: recipient.parameters },
        source: "broadcast",
        idempotencyKey: idempotencyKeyFor(chunk.broadcastId, recipient),
        sender,
        // a rate limit is not waited out per message: the chunk hands the recipient back and the number pauses
        rateLimitAttempts: 1,
        paceMetaCall: paced,
      }),
  });

  const sent = outcomes.flatMap((o) => (o.status === "sent" ? [{ id: o.item.id, messageId: o.result.messageId, wamid: o.result.wamid }] : []));
  const failed = outcomes.flatMap((o) => (o.status === "failed" ? [{ id: o.item.id, ...failureOf(o.error) }] : []));
  const deferred = outcomes.flatMap((o) => (o.status === "deferred" ? [{ id: o.item.id, retryAfterMs: o.retryAfterMs }] : []));

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

  // Seed 004: if the very first batch fails entirely, something is wrong with the account, not the recipients.
  if (chunk.fromSeq === 1 && claimed.length > 0 && sent.length === 0 && deferred.length === 0) {
    const common = mostCommon(failed.map((f) => f.appErrorCode));
    await stopBroadcast({ db, broadcastId: chunk.broadcastId, reason: `${common}: ${failed[0]?.errorTitle ?? ""}`.slice(0, 300), details: { appErrorCode: common, failed: failed.length } });
    return { state: "stopped", sent: 0, failed: failed.length };
  }

  const [left] = await db.$queryRaw<{ pending: number; next_ms: number | null }[]>`
    SELECT count(*)::int AS pending, (extract(epoch from min("notBefore") - now()) * 1000)::float8 AS next_ms
    FROM "broadcast_recipients"
    WHERE "broadcastId" = ${chunk.broadcastId} AND "seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq} AND "status" = 'PENDING'`;
  if (left && left.pending > 0) return { state: "deferred", sent: sent.length, failed: failed.length, retryAfterMs: Math.max(50, Math.ceil(left.next_ms ?? 1000)) };
  await completeIfFinished(db, chunk.broadcastId);
  return { state: "done", sent: sent.length, failed: failed.length };
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "META_ERROR";
}

/** The last chunk to finish marks the broadcast completed. */
export async function completeIfFinished(db: Db, broadcastId: string) {
  await db.$executeRaw`
    UPDATE "broadcasts" SET "status" = 'COMPLETED', "finishedAt" = now(), "updatedAt" = now()
    WHERE "id" = ${broadcastId} AND "status" = 'SENDING'
      AND NOT EXISTS (SELECT 1 FROM "broadcast_recipients" WHERE "broadcastId" = ${broadcastId} AND "status" IN ('PENDING', 'SENDING'))`;
}
