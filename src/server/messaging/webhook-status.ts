/**
 * Status webhooks https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status applied in SQL, so duplicates, reordering and concurrent deliveries
 * converge without read-modify-write: the history keeps one row per status reached (unique (messageId, status)),
 * and the message moves only forward (`statusRank < new rank`). A late "delivered" after "read" adds its history
 * row (it did happen) but leaves the message read; so does a "failed" after "delivered" or "read".
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { flagNotOnWhatsApp } from "@/server/contacts/contacts";
import { statusFromWebhook, statusRank } from "@/server/messaging/status";
import { applyStatusEffects } from "@/server/messaging/status-effects";
import { classifyGraphError } from "@/server/whatsapp";
import type { MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";
import type { MessageStatus } from "@/generated/prisma/enums";

/**
 * Meta can post "sent" before the send's answer (and so the wamid) is stored. Every send carries our message id
 * as biz_opaque_callback_data (Meta: messages/send-messages), which the status echoes: such a status links its wamid to the row itself.
 * A status that matches nothing of ours (another app on the same account, a message sent by hand) is ignored.
 */
export async function applyStatusUpdate({
  db,
  update,
}: {
  db: Db;
  update: MessageStatusUpdate;
}): Promise<{ found: boolean; recorded: boolean; moved: boolean }> {
  const [result] = await applyStatusUpdates({ db, updates: [update] });
  return result!;
}

/**
 * The effective order of a batch's statuses for one message: a "failed" counts between "sent" and "delivered",
 * because it moves a message that got no further than sent and never one already delivered or read. A status may
 * move a message exactly when its order is above the message's rank, so of a batch's statuses for one message
 * the highest-ordered is the one to apply: if it may not move the message, none of the others may either. The
 * outcome is the one applying them one by one in Meta's order would give.
 */
const orderOf = (status: MessageStatus) => (status === "FAILED" ? statusRank.DELIVERED - 0.5 : statusRank[status]);

/**
 * Every status of a drained batch in one statement: each is matched to its message (by wamid, or linked by its
 * callback data), recorded in the history (one row per status reached), and each message moves once, to the
 * highest-ordered of its statuses when that is above its rank. Answers per update, in order.
 */
export async function applyStatusUpdates({
  db,
  updates,
}: {
  db: Db;
  updates: MessageStatusUpdate[];
}): Promise<{ found: boolean; recorded: boolean; moved: boolean }[]> {
  const results = updates.map(() => ({ found: true, recorded: false, moved: false }));
  const rows = updates.flatMap((update, index) => {
    const status = statusFromWebhook(update.status);
    if (!status) return []; // a status we do not track (e.g. "deleted"): nothing to apply
    const error = update.errors[0];
    return [
      {
        index,
        eventId: randomUUID(),
        wamid: update.messageId,
        callback: update.bizOpaqueCallbackData ?? null,
        status,
        rank: statusRank[status],
        order: orderOf(status),
        // Meta's statuses can arrive out of order (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object):
        // a "failed" after "delivered" or "read" is recorded in the history, but the message keeps the status its
        // recipient already reached. Only a message that got no further than "sent" becomes failed.
        movesBelowRank: status === "FAILED" ? statusRank.DELIVERED : statusRank[status],
        at: new Date(update.timestamp * 1000).toISOString(),
        errorCode: error?.code ?? null,
        errorTitle: error ? (error.title ?? error.message ?? null) : null,
        appCode: error ? classifyGraphError({ code: error.code }).appCode : null,
      },
    ];
  });
  if (rows.length === 0) return results;
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);

  // Two drains applying overlapping batches lock the same messages and history keys in different orders, and Postgres
  // may abort one of them as a deadlock (40P01). The statement is all-or-nothing and idempotent (history rows ON
  // CONFLICT DO NOTHING, statuses only move forward), so the aborted one simply runs again.
  const answered = await retryOnDeadlock(
    () => db.$queryRaw<{ index: number; found: boolean; recorded: boolean; moved: boolean; contactId: string | null }[]>`
    WITH u AS (
      SELECT * FROM unnest(${column("index")}::int[], ${column("eventId")}::text[], ${column("wamid")}::text[],
                           ${column("callback")}::text[], ${column("status")}::text[], ${column("rank")}::int[],
                           ${column("order")}::float8[], ${column("movesBelowRank")}::int[], ${column("at")}::timestamptz[],
                           ${column("errorCode")}::int[], ${column("errorTitle")}::text[], ${column("appCode")}::text[])
        AS u("index", "eventId", "wamid", "callback", "status", "rank", "order", "movesBelowRank", "at", "errorCode", "errorTitle", "appCode")
    ),
    -- each status's message: by wamid, or (its wamid not stored yet) by the message id it carries as callback data
    target AS (
      SELECT u.*, m."id" AS "messageId", m."contactId", NULL::text AS "linkWamid"
        FROM u JOIN "messages" m ON m."wamid" = u."wamid"
      UNION ALL
      SELECT u.*, m."id", m."contactId", u."wamid"
        FROM u JOIN "messages" m ON m."id" = u."callback" AND m."wamid" IS NULL
       WHERE NOT EXISTS (SELECT 1 FROM "messages" w WHERE w."wamid" = u."wamid")
    ),
    ev AS (
      INSERT INTO "message_status_events" ("id", "messageId", "status", "occurredAt", "errorCode", "errorTitle")
      SELECT t."eventId", t."messageId", t."status"::"MessageStatus", t."at" AT TIME ZONE 'UTC', t."errorCode", t."errorTitle" FROM target t
      ON CONFLICT ("messageId", "status") DO NOTHING
      RETURNING "id"
    ),
    chosen AS (
      SELECT DISTINCT ON ("messageId") * FROM target ORDER BY "messageId", "order" DESC, "at" DESC, "index" DESC
    ),
    moved AS (
      UPDATE "messages" AS m SET
             "wamid" = COALESCE(m."wamid", c."linkWamid"),
             "status" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN c."status"::"MessageStatus" ELSE m."status" END,
             "statusRank" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN c."rank" ELSE m."statusRank" END,
             "statusAt" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN c."at" AT TIME ZONE 'UTC' ELSE m."statusAt" END,
             "errorCode" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN COALESCE(c."errorCode", m."errorCode") ELSE m."errorCode" END,
             "errorTitle" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN COALESCE(c."errorTitle", m."errorTitle") ELSE m."errorTitle" END,
             "appErrorCode" = CASE WHEN m."statusRank" < c."movesBelowRank" THEN COALESCE(c."appCode", m."appErrorCode") ELSE m."appErrorCode" END
        FROM chosen c
       WHERE m."id" = c."messageId" AND (m."statusRank" < c."movesBelowRank" OR (m."wamid" IS NULL AND c."linkWamid" IS NOT NULL))
      RETURNING c."index", m."statusRank" = c."rank" AND m."status" = c."status"::"MessageStatus" AS "statusMoved"
    )
    SELECT t."index", true AS "found", EXISTS (SELECT 1 FROM ev WHERE ev."id" = t."eventId") AS "recorded",
           COALESCE((SELECT mv."statusMoved" FROM moved mv WHERE mv."index" = t."index"), false) AS "moved", t."contactId"
      FROM target t`,
  );

  const byIndex = new Map(rows.map((row) => [row.index, row]));
  for (const row of rows) results[row.index] = { found: false, recorded: false, moved: false };
  for (const row of answered) {
    results[row.index] = { found: true, recorded: row.recorded, moved: row.moved };
    const update = byIndex.get(row.index)!;
    if (update.status === "FAILED" && update.errorCode === 131026 && row.contactId)
      await flagNotOnWhatsApp({ db, contactId: row.contactId });
  }
  // pricing and the cost ledger, the contact's BSUID, 131049 retries and 131050 (messaging/status-effects.ts)
  await applyStatusEffects({ db, updates: rows.map((row) => updates[row.index]!) });
  return results;
}

const deadlockAttempts = 5;

/** Runs the statement again, after a short random pause, when Postgres aborted it as a deadlock victim. */
async function retryOnDeadlock<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const deadlock = /40P01|deadlock detected/.test(String((error as { message?: unknown }).message ?? ""));
      if (!deadlock || attempt >= deadlockAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
