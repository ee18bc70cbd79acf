/**
 * Quarantined webhook items, for admins: those that failed validation when received (kind "invalid", the raw
 * item as Meta sent it) and those whose processing failed every retry. An admin reads the reason and the item,
 * fixes the cause (usually a deploy) and re-runs it:
 *   - a processing failure goes back to PENDING with fresh attempts and is processed right away;
 *   - an invalid item is validated again by the current parser, from the batch it came in: the items it yields
 *     now are stored and processed (each once, by its key) and the quarantined row is marked processed. One that
 *     still fails is refused with the current reason and stays in quarantine.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { flattenWebhookBatch, safeParseWebhookPayload } from "@/server/whatsapp/webhook-payload";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import { processWebhookItems } from "@/server/webhooks/process";

export async function quarantineCount({ db }: { db: Db }) {
  return db.webhookItem.count({ where: { status: "QUARANTINED" } });
}

export async function listQuarantinedItems({ db, limit = 50 }: { db: Db; limit?: number }) {
  const [total, items] = await Promise.all([
    quarantineCount({ db }),
    db.webhookItem.findMany({
      where: { status: "QUARANTINED" },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        id: true,
        field: true,
        kind: true,
        wabaId: true,
        phoneNumberId: true,
        quarantineReason: true,
        lastError: true,
        attempts: true,
        payload: true,
        createdAt: true,
      },
    }),
  ]);
  // the raw item is data for the admin to read, shown as text; cap what one row can carry to the page
  return {
    total,
    items: items.map((i) => ({
      ...i,
      ...quarantineReasonOf(i),
      rawItem: JSON.stringify(i.payload, null, 2).slice(0, 4000),
      payload: undefined,
    })),
  };
}

/**
 * Why an item is in quarantine, as a code the UI words (admin.json `quarantine.reason.<code>`) and its params:
 * `invalid` — it failed validation when received (`detail`: the validator's line, naming Meta's fields);
 * `processing_failed` — every processing attempt failed (`attempts`, `detail`: the last error). Read from the
 * item's kind, attempts and last error, never from the English `quarantineReason` (kept for the audit trail).
 */
export type QuarantineReasonCode = "invalid" | "processing_failed";

function quarantineReasonOf(item: { kind: string; attempts: number; lastError: string | null; quarantineReason: string | null }): {
  reasonCode: QuarantineReasonCode;
  reasonParams: { attempts: number; detail: string };
} {
  if (item.kind === "invalid")
    return { reasonCode: "invalid", reasonParams: { attempts: item.attempts, detail: item.quarantineReason ?? "" } };
  return { reasonCode: "processing_failed", reasonParams: { attempts: item.attempts, detail: item.lastError ?? "" } };
}

export async function rerunQuarantinedItem({
  db,
  handlers,
  itemId,
  actor,
}: {
  db: Db;
  handlers: WebhookHandlers;
  itemId: string;
  actor: Actor;
}) {
  const item = await db.webhookItem.findUnique({
    where: { id: itemId },
    select: { id: true, key: true, kind: true, status: true, eventId: true, quarantineReason: true },
  });
  if (!item || item.status !== "QUARANTINED") {
    throw new AppError("NOT_FOUND", "No quarantined webhook item with this id.", { item_id: itemId });
  }
  const audit = (after?: { stored_items: number }) =>
    writeAudit(db, {
      actor,
      action: "webhook_item.rerun",
      targetType: "webhook_item",
      targetId: item.id,
      before: { reason: item.quarantineReason },
      after,
    });

  if (item.kind !== "invalid") {
    await db.webhookItem.update({
      where: { id: item.id },
      data: { status: "PENDING", attempts: 0, claimedAt: null, lastError: null, quarantineReason: null },
    });
    await audit();
    const summary = await processWebhookItems({ db, handlers, eventId: item.eventId });
    const after = await db.webhookItem.findUniqueOrThrow({ where: { id: item.id }, select: { status: true, lastError: true } });
    return { status: after.status, storedItems: 0, processed: summary.processed, lastError: after.lastError };
  }

  const event = await db.webhookEvent.findUniqueOrThrow({ where: { id: item.eventId }, select: { payload: true } });
  const envelope = safeParseWebhookPayload(event.payload);
  const items = envelope.ok ? flattenWebhookBatch(envelope.payload) : [];
  const stillInvalid = items.find((i) => i.kind === "invalid" && i.key === item.key);
  if (stillInvalid?.kind === "invalid") {
    const reason = stillInvalid.reason;
    throw new AppError("VALIDATION_FAILED", `The item still fails validation: ${reason}`, { item_id: item.id, reason });
  }
  const valid = items.filter((i) => i.kind !== "invalid");
  const stored = await db.webhookItem.createMany({
    data: valid.map((i) => ({
      id: randomUUID(),
      eventId: item.eventId,
      key: i.key,
      field: i.field,
      kind: i.kind,
      wabaId: i.wabaId,
      phoneNumberId: i.phoneNumberId ?? null,
      occurredAt: i.occurredAt ?? null,
      payload: i.value as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
  await db.webhookItem.update({ where: { id: item.id }, data: { status: "PROCESSED", processedAt: new Date() } });
  await audit({ stored_items: stored.count });
  const summary = await processWebhookItems({ db, handlers, eventId: item.eventId });
  return { status: "PROCESSED" as const, storedItems: stored.count, processed: summary.processed, lastError: null };
}
