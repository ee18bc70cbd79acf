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
import { classifyGraphError } from "@/server/whatsapp";
import type { MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";

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
  const applied = await applyToKnownMessage(db, update);
  if (applied.found || !update.bizOpaqueCallbackData) return applied;
  const linked =
    await db.$executeRaw`UPDATE "messages" SET "wamid" = ${update.messageId} WHERE "id" = ${update.bizOpaqueCallbackData} AND "wamid" IS NULL`;
  return linked > 0 ? applyToKnownMessage(db, update) : applied;
}

async function applyToKnownMessage(db: Db, update: MessageStatusUpdate) {
  const status = statusFromWebhook(update.status);
  if (!status) return { found: true, recorded: false, moved: false };
  const rank = statusRank[status];
  // Meta's statuses can arrive out of order (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object):
  // a "failed" after "delivered" or "read" is recorded in the history, but the message keeps the status its
  // recipient already reached. Only a message that got no further than "sent" becomes failed.
  const movesBelowRank = status === "FAILED" ? statusRank.DELIVERED : rank;
  const at = new Date(update.timestamp * 1000);
  const error = update.errors[0];
  const appCode = error ? classifyGraphError({ code: error.code }).appCode : null;
  const title = error ? (error.title ?? error.message ?? null) : null;

  const [row] = await db.$queryRaw<{ found: bigint; recorded: bigint; moved: bigint; contactId: string | null }[]>`
    WITH m AS (SELECT "id", "contactId" FROM "messages" WHERE "wamid" = ${update.messageId}),
    ev AS (
      INSERT INTO "message_status_events" ("id", "messageId", "status", "occurredAt", "errorCode", "errorTitle")
      SELECT ${randomUUID()}, m."id", ${status}::"MessageStatus", ${at}, ${error?.code ?? null}, ${title} FROM m
      ON CONFLICT ("messageId", "status") DO NOTHING
      RETURNING "messageId"
    ),
    moved AS (
      UPDATE "messages" SET "status" = ${status}::"MessageStatus", "statusRank" = ${rank}, "statusAt" = ${at},
             "errorCode" = COALESCE(${error?.code ?? null}, "errorCode"), "errorTitle" = COALESCE(${title}, "errorTitle"),
             "appErrorCode" = COALESCE(${appCode}, "appErrorCode")
       WHERE "id" IN (SELECT "id" FROM m) AND "statusRank" < ${movesBelowRank}
      RETURNING "id"
    )
    SELECT (SELECT count(*) FROM m) AS found, (SELECT count(*) FROM ev) AS recorded, (SELECT count(*) FROM moved) AS moved,
           (SELECT "contactId" FROM m LIMIT 1) AS "contactId"`;
  if (!row || row.found === 0n) return { found: false, recorded: false, moved: false };
  if (status === "FAILED" && error?.code === 131026 && row.contactId) await flagNotOnWhatsApp({ db, contactId: row.contactId });
  return { found: true, recorded: row.recorded > 0n, moved: row.moved > 0n };
}
