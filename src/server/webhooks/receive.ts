/**
 * Receiving Meta's webhooks (route: src/app/api/webhooks/whatsapp/route.ts).
 *
 * GET is Meta's verification handshake. POST is checked against X-Hub-Signature-256 over the exact bytes
 * received (never re-serialised JSON), then the batch and every item in it are stored in one statement before
 * we answer 200, so nothing Meta considers delivered can be lost; processing happens after the answer
 * (src/server/webhooks/process.ts). A bad signature stores a security event and raises an admin alert, and the
 * payload is not looked at.
 */
import { createHash, randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { raiseAlert } from "@/server/alerts/alerts";
import type { Db } from "@/server/db";
import { flattenWebhookBatch, parseWebhookPayload, verifyWebhookSignature } from "@/server/whatsapp";

export type HandshakeParams = { mode: string | null; verifyToken: string | null; challenge: string | null };

/** Meta's GET handshake: echo hub.challenge when hub.verify_token matches ours. */
export function answerHandshake(params: HandshakeParams, expectedToken: string): { status: number; body: string } {
  if (params.mode !== "subscribe" || params.challenge === null) {
    return { status: 400, body: "Expected hub.mode=subscribe with hub.challenge and hub.verify_token." };
  }
  if (params.verifyToken === null || !constantTimeEqual(params.verifyToken, expectedToken)) {
    return { status: 403, body: "The verify token does not match META_WEBHOOK_VERIFY_TOKEN." };
  }
  return { status: 200, body: params.challenge };
}

function constantTimeEqual(a: string, b: string) {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return ha.equals(hb) && a.length === b.length;
}

export type ReceiveResult =
  | { httpStatus: 200; eventId: string | null; storedItems: number; duplicateItems: number; duplicateBatch: boolean }
  | { httpStatus: 400 | 401; error: string };

export async function receiveWebhook({
  db,
  rawBody,
  signatureHeader,
  appSecret,
  source,
}: {
  db: Db;
  rawBody: Uint8Array;
  signatureHeader: string | null;
  appSecret: string;
  source: { ip: string | null; userAgent: string | null };
}): Promise<ReceiveResult> {
  const signature = verifyWebhookSignature(rawBody, signatureHeader, appSecret);
  if (!signature.ok) {
    await recordRejectedWebhook({ db, reason: `signature ${signature.reason}`, source, bodyBytes: rawBody.byteLength });
    return { httpStatus: 401, error: "Invalid X-Hub-Signature-256." };
  }

  let payload;
  try {
    payload = parseWebhookPayload(JSON.parse(Buffer.from(rawBody).toString("utf8")));
  } catch (error) {
    await recordRejectedWebhook({ db, reason: "payload not a webhook envelope", source, bodyBytes: rawBody.byteLength, detail: (error as Error).message.slice(0, 500) });
    return { httpStatus: 400, error: "Signed body is not a WhatsApp webhook envelope." };
  }

  const items = flattenWebhookBatch(payload);
  const stored = await storeBatch({
    db,
    bodySha256: createHash("sha256").update(rawBody).digest("hex"),
    object: payload.object,
    payload: payload as unknown as Prisma.InputJsonValue,
    items: items.map((item) => ({
      id: randomUUID(),
      key: item.key,
      field: item.field,
      kind: item.kind,
      wabaId: item.wabaId ?? null,
      phoneNumberId: item.phoneNumberId ?? null,
      occurredAt: item.occurredAt ? item.occurredAt.toISOString() : null,
      payload: item.value,
    })),
  });
  return {
    httpStatus: 200,
    eventId: stored.eventId,
    storedItems: stored.insertedItems,
    duplicateItems: stored.eventId ? items.length - stored.insertedItems : items.length,
    duplicateBatch: stored.eventId === null,
  };
}

type ItemRow = {
  id: string;
  key: string;
  field: string;
  kind: string;
  wabaId: string | null;
  phoneNumberId: string | null;
  occurredAt: string | null;
  payload: unknown;
};

/**
 * One statement, so it is atomic and one round trip: the batch row (skipped if these exact bytes were stored
 * before) and its items (each skipped if its idempotency key was stored before, from any batch). Concurrent
 * deliveries of the same batch or item serialise on the unique indexes; exactly one copy wins.
 */
async function storeBatch({ db, bodySha256, object, payload, items }: {
  db: Db;
  bodySha256: string;
  object: string;
  payload: Prisma.InputJsonValue;
  items: ItemRow[];
}): Promise<{ eventId: string | null; insertedItems: number }> {
  const rows = await db.$queryRaw<{ event_id: string | null; inserted: bigint }[]>`
    WITH event AS (
      INSERT INTO "webhook_events" ("id", "bodySha256", "object", "payload", "itemCount")
      VALUES (${randomUUID()}, ${bodySha256}, ${object}, ${JSON.stringify(payload)}::jsonb, ${items.length})
      ON CONFLICT ("bodySha256") DO NOTHING
      RETURNING "id"
    ), inserted AS (
      INSERT INTO "webhook_items" ("id", "eventId", "key", "field", "kind", "wabaId", "phoneNumberId", "occurredAt", "payload")
      SELECT item."id", event."id", item."key", item."field", item."kind", item."wabaId", item."phoneNumberId",
             item."occurredAt"::timestamp(3), item."payload"
      FROM event, jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS item(
        "id" text, "key" text, "field" text, "kind" text, "wabaId" text, "phoneNumberId" text, "occurredAt" text, "payload" jsonb)
      ON CONFLICT ("key") DO NOTHING
      RETURNING "id"
    )
    SELECT (SELECT "id" FROM event) AS event_id, (SELECT count(*) FROM inserted) AS inserted`;
  const row = rows[0];
  return { eventId: row?.event_id ?? null, insertedItems: Number(row?.inserted ?? 0) };
}

async function recordRejectedWebhook({ db, reason, source, bodyBytes, detail }: {
  db: Db;
  reason: string;
  source: { ip: string | null; userAgent: string | null };
  bodyBytes: number;
  detail?: string;
}) {
  await db.securityEvent.create({
    data: { kind: "webhook_rejected", reason, sourceIp: source.ip, userAgent: source.userAgent, details: { bodyBytes, ...(detail ? { detail } : {}) } },
  });
  await raiseAlert({
    db,
    kind: "webhook_rejected",
    severity: "CRITICAL",
    title: "A webhook call was rejected",
    message:
      `A POST to the WhatsApp webhook was refused (${reason}) from ${source.ip ?? "an unknown address"}. ` +
      "If this keeps happening, check that META_APP_SECRET matches the app secret in Meta's App Dashboard; " +
      "otherwise someone is sending forged events and nothing from them was processed.",
  });
}
