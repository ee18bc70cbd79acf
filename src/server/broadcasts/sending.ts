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
import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { isAppError } from "@/server/errors";
import { pooledGraphClientForAccount } from "@/server/accounts/graph";
import {
  applyMetaRefusalEffects,
  checkSendPolicy,
  loadSendingNumber,
  loadTemplateCandidates,
  noteAccountTokenWorks,
  type MessageContent,
  type SendingNumber,
  type TemplateCandidate,
} from "@/server/messaging/send";
import { isGraphApiError, templateMessageBody, type GraphClient } from "@/server/whatsapp";
import { spendAllowed, spendFactsSql, type SpendFacts } from "@/server/messaging/policy";
import { addresseeOf, recipientCountryOf } from "@/server/contacts/bsuid";
import { startPacedRun, type Deferral, type PacedRun } from "@/server/throughput/paced-run";
import {
  pacedRatePerSecond,
  reserveSlotsStatement,
  slotReservationOf,
  throughputLimitFor,
  type SlotReservation,
} from "@/server/throughput/pacing";
import { stopBroadcast } from "@/server/broadcasts/lifecycle";

export type ChunkEvent = PayloadOf<typeof jobEvents.broadcastChunk>;

export type ChunkResult =
  | { state: "done" | "over" | "stopped"; sent: number; failed: number }
  | { state: "deferred"; reason: "rate_limit" | "unknown"; sent: number; failed: number; retryAfterMs: number }
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

/** How long a recipient left UNKNOWN waits for Meta's status webhook before it is offered once more. Mutable for tests. */
export const unknownRecipients = { reofferAfterMs: 60_000 };

type ClaimedRecipient = {
  id: string;
  seq: number;
  contactId: string;
  parameters: string[];
  deferrals: number;
  /** the contact as the send policy reads it (null fields of an erased contact make it "not found") */
  phoneE164: string;
  /** the BSUID: a contact known only by it is sent to as `recipient` (contacts/bsuid.ts) */
  userId: string | null;
  optedIn: boolean;
  optedOutAt: Date | null;
  notOnWhatsAppAt: Date | null;
  lastInboundAt: Date | null;
  marketingOptedOutAt: Date | null;
  erasedAt: Date | null;
};

// A recipient's message is keyed `broadcast:<broadcast id>:<recipient id>:<deferrals>` (built in SQL below): one
// attempt per recipient and round, so a retried step finds its row and a handed-back recipient gets a new one.

/**
 * Recipients a dead run left in SENDING: with no message they were never offered to Meta and go back to
 * PENDING; with a message they are never resent — SENT if Meta's wamid was recorded, FAILED if Meta's refusal
 * was, UNKNOWN otherwise. An UNKNOWN one whose message has since been linked to Meta's answer (a status webhook
 * carrying its id as callback data, src/server/messaging/webhook-status.ts) becomes SENT or FAILED here too.
 * `ids` limits it to those recipients (a batch whose message rows an earlier attempt had written).
 */
async function settleInterrupted(db: Db, chunk: ChunkEvent, ids: string[] | null = null) {
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
                            WHEN m."id" IS NOT NULL AND m."wamid" IS NULL THEN 'Sending was interrupted; waiting for Meta''s status before offering it again' END
    FROM "broadcast_recipients" AS r2
    LEFT JOIN "messages" AS m ON m."tenantId" = ${chunk.tenantId}
      AND m."idempotencyKey" = 'broadcast:' || ${chunk.broadcastId} || ':' || r2."id" || ':' || r2."deferrals"
    WHERE r."id" = r2."id" AND r2."broadcastId" = ${chunk.broadcastId}
      AND r2."seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq}
      AND (${ids}::text[] IS NULL OR r2."id" = ANY(${ids}::text[]))
      AND (r2."status" = 'SENDING' OR (r2."status" = 'UNKNOWN' AND (m."wamid" IS NOT NULL OR m."status" = 'FAILED')))`;
}

/**
 * Recipients left UNKNOWN for longer than `reofferAfterMs` with no word from Meta (no wamid linked, no failure)
 * are offered once more, under a new idempotency key; their first message is closed as failed. Meta answers
 * every message it accepted with a status webhook within seconds, so silence this long means the call most
 * likely never reached it. Once only: a recipient offered again is never offered a third time.
 */
async function reofferSilentUnknown(db: Db, chunk: ChunkEvent) {
  await db.$executeRaw`
    WITH silent AS (
      SELECT r."id", r."messageId" FROM "broadcast_recipients" r JOIN "messages" m ON m."id" = r."messageId"
       WHERE r."broadcastId" = ${chunk.broadcastId} AND r."seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq}
         AND r."status" = 'UNKNOWN' AND r."reofferedAt" IS NULL AND m."wamid" IS NULL AND m."status" <> 'FAILED'
         AND (r."attemptedAt" IS NULL OR r."attemptedAt" < (now() - make_interval(secs => ${unknownRecipients.reofferAfterMs / 1000})))
       FOR UPDATE OF r SKIP LOCKED
    ), closed AS (
      UPDATE "messages" m SET "status" = 'FAILED', "statusRank" = 5, "statusAt" = now(), "appErrorCode" = 'INTERNAL_ERROR',
             "errorTitle" = 'No answer and no status from Meta after the sending process stopped; offered once more'
        FROM silent WHERE m."id" = silent."messageId" AND m."wamid" IS NULL AND m."statusRank" < 5
    )
    UPDATE "broadcast_recipients" r SET "status" = 'PENDING', "deferrals" = r."deferrals" + 1, "reofferedAt" = now(),
           "messageId" = NULL, "errorTitle" = NULL, "notBefore" = NULL
      FROM silent WHERE r."id" = silent."id"`;
}

/**
 * Claims the PENDING recipients of a seq range (PENDING → SENDING, attempt time recorded) with what the send
 * policy reads of their contacts, and reserves one send slot per claimed recipient on the number's pacing row:
 * one statement.
 */
async function claimBatch(db: Db, chunk: ChunkEvent, fromSeq: number, toSeq: number, perSecond: number) {
  const slot = reserveSlotsStatement({ phoneNumberId: chunk.phoneNumberId, count: Prisma.sql`(SELECT count(*) FROM claimed)`, perSecond });
  const rows = await db.$queryRaw<(ClaimedRecipient & { start_ms: number; now_ms: number })[]>`
    WITH claimed AS (
      UPDATE "broadcast_recipients" AS r SET "status" = 'SENDING', "attemptedAt" = now()
        FROM "contacts" AS c
       WHERE r."broadcastId" = ${chunk.broadcastId} AND r."seq" BETWEEN ${fromSeq} AND ${toSeq}
         AND r."status" = 'PENDING' AND (r."notBefore" IS NULL OR r."notBefore" <= now()) AND c."id" = r."contactId"
      RETURNING r."id", r."seq", r."contactId", r."parameters", r."deferrals", c."phoneE164", c."userId", c."optedIn", c."optedOutAt",
                c."notOnWhatsAppAt", c."lastInboundAt", c."marketingOptedOutAt", c."erasedAt"
    ), slot AS (${slot})
    SELECT claimed.*, slot.start_ms, slot.now_ms FROM claimed, slot ORDER BY claimed."seq"`;
  const first = rows[0];
  return { claimed: rows as ClaimedRecipient[], reservation: first ? slotReservationOf(first, rows.length, perSecond) : null };
}

function failureOf(error: Error) {
  if (isGraphApiError(error))
    return { appErrorCode: error.code, errorCode: error.metaCode ?? null, errorTitle: (error.metaMessage || error.code).slice(0, 300) };
  return {
    appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR",
    errorCode: (isAppError(error) ? error.metaCode : undefined) ?? null,
    errorTitle: error.message.slice(0, 300),
  };
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

type ChunkContext = {
  db: Db;
  chunk: ChunkEvent;
  content: Extract<MessageContent, { kind: "template" }>;
  templates: TemplateCandidate[];
  throughputLevel: string | null | undefined;
  from: SendingNumber;
  graph: GraphClient;
  broadcastStatus: () => Promise<string>;
  /** the request body of this template, built on first use and filled per recipient */
  body: ((addressee: { to: string } | { recipient: string }, parameters: readonly string[], callback: string) => string) | null;
};

/** What became of one claimed recipient, as the batch's one recording statement writes it. */
type Outcome = { recipient: ClaimedRecipient; messageId: string | null } & (
  | { kind: "sent"; wamid: string }
  | { kind: "failed"; error: Error }
  | { kind: "deferred"; deferral: Deferral; error: Error }
  | { kind: "halted" }
);

/** One recipient at its turn of the paced run: offered to Meta at its slot (the message row is already written). */
async function offer(
  context: ChunkContext,
  run: PacedRun,
  index: number,
  recipient: ClaimedRecipient,
  messageId: string,
): Promise<Outcome> {
  const turn = await run.turn(index);
  try {
    if ((await context.broadcastStatus()) !== "SENDING") return { recipient, messageId, kind: "halted" };
    const slot = await turn.slot();
    let error: Error;
    try {
      const body = context.body!(addresseeOf(recipient) ?? { to: recipient.phoneE164 }, recipient.parameters, messageId);
      const sent = await context.graph.sendMessageBody(context.from.metaPhoneNumberId, body);
      return { recipient, messageId, kind: "sent", wamid: sent.messageId };
    } catch (caught) {
      error = caught as Error;
    } finally {
      slot.answered();
    }
    const deferral = await turn.deferral(error, recipient.deferrals);
    return deferral ? { recipient, messageId, kind: "deferred", deferral, error } : { recipient, messageId, kind: "failed", error };
  } finally {
    turn.end();
  }
}

/**
 * One batch, claimed already: the send policy per recipient (the same function single sends use), the message
 * rows of those it allows in one multi-row insert, every call at its slot over the pooled connections, and every
 * outcome — wamids, refusals, deferrals, recipients held back by a pause — recorded in one statement.
 */
async function sendBatch(context: ChunkContext, claimed: ClaimedRecipient[], reservation: SlotReservation): Promise<BatchResult> {
  const { db, chunk, content, from } = context;
  const outcomes: Outcome[] = [];
  const allowed: {
    index: number;
    recipient: ClaimedRecipient;
    messageId: string;
    language: string | null;
    businessInitiated: boolean;
  }[] = [];
  const now = new Date();
  // the bakery's monthly spend cap (messaging/policy.ts): its facts read once per batch; once refused, every
  // billable send of the batch is refused the same way (one alert, no query per recipient)
  const [{ spend }] = await db.$queryRaw<[{ spend: SpendFacts }]>`SELECT ${spendFactsSql(chunk.tenantId)} AS "spend"`;
  let capRefusal: Error | null = null;
  for (const [index, recipient] of claimed.entries()) {
    try {
      const verdict = checkSendPolicy({
        contactId: recipient.contactId,
        contact: recipient.erasedAt ? null : { ...recipient, id: recipient.contactId },
        content: { ...content, parameters: recipient.parameters },
        templates: context.templates,
        tenantLanguage: from.language,
        now,
      });
      context.body ??= templateMessageBody({
        templateName: verdict.metaTemplateName ?? content.templateName,
        languageCode: verdict.language ?? from.language,
      });
      if (verdict.billable && !capRefusal) {
        await spendAllowed({ db, tenantId: chunk.tenantId, spend, billable: true, now }).catch((error: Error) => {
          capRefusal = error;
        });
      }
      if (verdict.billable && capRefusal) throw capRefusal;
      allowed.push({ index, recipient, messageId: randomUUID(), language: verdict.language, businessInitiated: verdict.businessInitiated });
    } catch (error) {
      outcomes.push({ recipient, messageId: null, kind: "failed", error: error as Error });
    }
  }

  // the attempts, recorded before Meta is called: one row per allowed recipient, keyed per recipient and attempt
  let written = new Set<string>();
  if (allowed.length) {
    const language = allowed[0]!.language;
    const rows = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "templateName", "templateLanguage",
                              "parameters", "source", "idempotencyKey", "status", "statusRank", "recipientCountry", "businessInitiated")
      SELECT i."messageId", ${chunk.tenantId}, ${from.phoneNumberId}, r."contactId", 'OUTBOUND'::"MessageDirection", 'template',
             ${content.templateName}, ${language}, r."parameters", 'broadcast',
             'broadcast:' || ${chunk.broadcastId} || ':' || r."id" || ':' || r."deferrals", 'PENDING'::"MessageStatus", 0,
             i."country", i."businessInitiated"
        FROM unnest(${allowed.map((a) => a.recipient.id)}::text[], ${allowed.map((a) => a.messageId)}::text[],
                    ${allowed.map((a) => recipientCountryOf(a.recipient))}::text[], ${allowed.map((a) => a.businessInitiated)}::boolean[])
             AS i("recipientId", "messageId", "country", "businessInitiated")
        JOIN "broadcast_recipients" r ON r."id" = i."recipientId"
      ON CONFLICT ("tenantId", "idempotencyKey") DO NOTHING
      RETURNING "id"`;
    written = new Set(rows.map((row) => row.id));
  }
  // an earlier attempt of this step had written these (its run died after the insert): settled from that row, never resent
  const replayed = allowed.filter((a) => !written.has(a.messageId)).map((a) => a.recipient.id);
  const toOffer = allowed.filter((a) => written.has(a.messageId));

  if (toOffer.length) {
    const run = await startPacedRun({
      db,
      phoneNumberId: chunk.phoneNumberId,
      throughputLevel: context.throughputLevel,
      count: claimed.length,
      reservation,
    });
    outcomes.push(...(await Promise.all(toOffer.map((a) => offer(context, run, a.index, a.recipient, a.messageId)))));
  }

  await recordOutcomes(db, chunk, outcomes);
  if (replayed.length) await settleInterrupted(db, chunk, replayed);

  const refusals = outcomes.flatMap((o) =>
    (o.kind === "failed" || o.kind === "deferred") && isGraphApiError(o.error)
      ? [{ contactId: o.recipient.contactId, error: o.error }]
      : [],
  );
  if (refusals.length) await applyMetaRefusalEffects({ db, from, refusals });
  if (outcomes.some((o) => o.kind === "sent")) await noteAccountTokenWorks({ db, from });

  const failures = outcomes.flatMap((o): Failure[] => (o.kind === "failed" ? [{ id: o.recipient.id, ...failureOf(o.error) }] : []));
  const count = (kind: Outcome["kind"]) => outcomes.filter((o) => o.kind === kind).length;
  return { sent: count("sent"), failed: failures.length, deferred: count("deferred"), halted: count("halted"), failures };
}

/**
 * Every outcome of a batch in one statement: the messages get their wamid (ACCEPTED) or Meta's refusal (FAILED);
 * the rows of sends held back by a pause are deleted (never offered to Meta); the recipients become SENT, FAILED,
 * PENDING again with a later not-before (Meta's pacing codes), or PENDING / CANCELLED as the broadcast now is.
 */
async function recordOutcomes(db: Db, chunk: ChunkEvent, outcomes: Outcome[]) {
  if (outcomes.length === 0) return;
  const failure = (o: Outcome) => (o.kind === "failed" || o.kind === "deferred" ? failureOf(o.error) : null);
  const col = <T>(pick: (o: Outcome) => T) => outcomes.map(pick);
  await db.$executeRaw`
    WITH o AS (
      SELECT * FROM unnest(${col((o) => o.recipient.id)}::text[], ${col((o) => o.messageId)}::text[], ${col((o) => o.kind)}::text[],
                           ${col((o) => (o.kind === "sent" ? o.wamid : null))}::text[], ${col((o) => failure(o)?.appErrorCode ?? null)}::text[],
                           ${col((o) => failure(o)?.errorCode ?? null)}::int[], ${col((o) => failure(o)?.errorTitle ?? null)}::text[],
                           ${col((o) => (o.kind === "deferred" ? o.deferral.retryAfterMs : null))}::float8[])
        AS o("recipientId", "messageId", "kind", "wamid", "appErrorCode", "errorCode", "errorTitle", "waitMs")
    ), accepted AS (
      -- a status webhook may have linked the wamid first (callback data): it is the same wamid
      UPDATE "messages" m SET "wamid" = o."wamid", "status" = 'ACCEPTED', "statusRank" = 1, "statusAt" = now()
        FROM o WHERE o."kind" = 'sent' AND m."id" = o."messageId" AND m."statusRank" < 1
    ), refused AS (
      UPDATE "messages" m SET "status" = 'FAILED', "statusRank" = 5, "statusAt" = now(),
             "errorCode" = o."errorCode", "errorTitle" = o."errorTitle", "appErrorCode" = o."appErrorCode"
        FROM o WHERE o."kind" IN ('failed', 'deferred') AND m."id" = o."messageId" AND m."statusRank" < 5
    ), withdrawn AS (
      DELETE FROM "messages" m USING o WHERE o."kind" = 'halted' AND m."id" = o."messageId"
    )
    UPDATE "broadcast_recipients" AS r SET
      "status" = (CASE o."kind" WHEN 'sent' THEN 'SENT' WHEN 'failed' THEN 'FAILED' WHEN 'deferred' THEN 'PENDING'
                  ELSE CASE WHEN b."status" IN ('SENDING', 'PAUSED') THEN 'PENDING' ELSE 'CANCELLED' END END)::"BroadcastRecipientStatus",
      "messageId" = CASE WHEN o."kind" IN ('sent', 'failed') THEN o."messageId" ELSE r."messageId" END,
      "wamid" = CASE WHEN o."kind" = 'sent' THEN o."wamid" ELSE r."wamid" END,
      "sentAt" = CASE WHEN o."kind" = 'sent' THEN now() ELSE r."sentAt" END,
      "appErrorCode" = CASE WHEN o."kind" = 'failed' THEN o."appErrorCode" ELSE r."appErrorCode" END,
      "errorCode" = CASE WHEN o."kind" = 'failed' THEN o."errorCode" ELSE r."errorCode" END,
      "errorTitle" = CASE WHEN o."kind" = 'failed' THEN o."errorTitle" ELSE r."errorTitle" END,
      "deferrals" = CASE WHEN o."kind" = 'deferred' THEN r."deferrals" + 1 ELSE r."deferrals" END,
      "notBefore" = CASE WHEN o."kind" = 'deferred' THEN now() + make_interval(secs => o."waitMs" / 1000.0) ELSE r."notBefore" END
    FROM o, "broadcasts" AS b
    WHERE b."id" = ${chunk.broadcastId} AND r."id" = o."recipientId" AND r."status" = 'SENDING'`;
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
  await reofferSilentUnknown(db, chunk);
  const throughputLevel = broadcast.phoneNumber?.throughputLevel;
  const perSecond = pacedRatePerSecond(throughputLevel);
  const content = { kind: "template" as const, templateName: broadcast.templateName, language: broadcast.templateLanguage, parameters: [] };
  let from: SendingNumber;
  let graph: GraphClient;
  try {
    from = await loadSendingNumber({ db, tenantId: broadcast.tenantId });
    graph = pooledGraphClientForAccount(from.account, throughputLimitFor(throughputLevel));
  } catch (error) {
    // WhatsApp switched off, the number taken away or the account's token gone mid-broadcast: nothing can be sent
    await stopBroadcast({
      db,
      broadcastId: chunk.broadcastId,
      reason: (error as Error).message,
      details: { appErrorCode: isAppError(error) ? error.code : "INTERNAL_ERROR" },
    });
    return { state: "stopped", sent: 0, failed: 0 };
  }

  const context: ChunkContext = {
    db,
    chunk,
    content,
    templates: await loadTemplateCandidates(db, from, content),
    throughputLevel,
    from,
    graph,
    broadcastStatus: statusWatch(db, chunk.broadcastId),
    body: null,
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
  const start = (claimed: ClaimedRecipient[], reservation: SlotReservation) => {
    const batch = sendBatch(context, claimed, reservation);
    batch.catch(() => {}); // awaited below; this only keeps a rejection meanwhile from being "unhandled"
    started.push(batch);
    return batch;
  };
  try {
    let previous: Promise<BatchResult> | null = null;
    for (let from = chunk.fromSeq; from <= chunk.toSeq; from += size) {
      if ((await context.broadcastStatus()) !== "SENDING") break;
      const { claimed, reservation } = await claimBatch(db, chunk, from, Math.min(chunk.toSeq, from + size - 1), perSecond);
      if (!reservation) continue;
      const current = start(claimed, reservation);

      // If the broadcast's very first batch fails entirely, something is wrong with the account, not
      // the recipients — stop before anyone else is tried.
      if (claimed.some((r) => r.seq === 1 && r.deferrals === 0)) {
        const first = await current;
        add(first);
        if (first.sent === 0 && first.deferred === 0 && first.halted === 0 && first.failed > 0) {
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

  // still to do: recipients handed back (rate limits), and recipients left UNKNOWN waiting for Meta's status
  const [left] = await db.$queryRaw<{ pending: number; next_ms: number | null; unknown: number; unknown_ms: number | null }[]>`
    SELECT count(*) FILTER (WHERE "status" = 'PENDING')::int AS pending,
           (extract(epoch from min("notBefore") FILTER (WHERE "status" = 'PENDING') - now()) * 1000)::float8 AS next_ms,
           count(*) FILTER (WHERE "status" = 'UNKNOWN' AND "reofferedAt" IS NULL)::int AS unknown,
           (extract(epoch from min("attemptedAt") FILTER (WHERE "status" = 'UNKNOWN' AND "reofferedAt" IS NULL)
                    + make_interval(secs => ${unknownRecipients.reofferAfterMs / 1000}) - now()) * 1000)::float8 AS unknown_ms
    FROM "broadcast_recipients"
    WHERE "broadcastId" = ${chunk.broadcastId} AND "seq" BETWEEN ${chunk.fromSeq} AND ${chunk.toSeq} AND "status" IN ('PENDING', 'UNKNOWN')`;
  if (left && left.pending > 0)
    return { state: "deferred", reason: "rate_limit", ...totals, retryAfterMs: Math.max(50, Math.ceil(left.next_ms ?? 1000)) };
  if (left && left.unknown > 0)
    return { state: "deferred", reason: "unknown", ...totals, retryAfterMs: Math.max(50, Math.ceil(left.unknown_ms ?? 1000)) };
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
      AND NOT EXISTS (SELECT 1 FROM "broadcast_recipients" WHERE "broadcastId" = ${broadcastId}
                        AND ("status" IN ('PENDING', 'SENDING') OR ("status" = 'UNKNOWN' AND "reofferedAt" IS NULL)))`;
  if (completed === 0) return;
  // a failure here must not fail the chunk (it would not complete again): the periodic job judges it later
  await evaluateBroadcastThresholds({ db, broadcastId }).catch((error: Error) =>
    console.error("broadcast thresholds:", broadcastId, error.message),
  );
}
