/**
 * Receiving Meta's webhooks (route: src/app/api/webhooks/whatsapp/route.ts).
 *
 * GET is Meta's verification handshake. POST is checked against X-Hub-Signature-256 over the exact bytes
 * received (never re-serialised JSON), then the batch and every item in it are stored in one statement before
 * we answer 200 (POSTs arriving together share that statement: group commit, see storeBatch), so nothing Meta considers delivered can be lost; processing happens after the answer
 * (src/server/webhooks/process.ts). A bad signature stores a security event (bounded, security-events.ts) and
 * raises an admin alert, and the payload is not looked at. Inside a signed envelope every item is validated on its
 * own: one that fails is stored QUARANTINED with its reason, and the rest of the batch is stored and processed.
 */
import { createHash, randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { flattenWebhookBatch, verifyWebhookSignature } from "@/server/whatsapp";
import { safeParseWebhookPayload } from "@/server/whatsapp/webhook-payload";
import { parseWebhookJson } from "@/server/whatsapp/webhook-payload";
import { readBodyWithin, webhookBodyLimitBytes, webhookSourceOf, type WebhookSource } from "@/server/webhooks/request-source";
import { recordRefusedWebhook } from "@/server/webhooks/security-events";

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

/**
 * The POST as the route sees it: the body read up to webhookBodyLimitBytes (413 above it, recorded like any
 * refused call), the sender taken from the trusted proxy hop, then receiveWebhook. Answers what Meta is sent.
 */
export async function handleWebhookPost({
  db,
  req,
  appSecret,
  trustedProxyHops,
}: {
  db: Db;
  req: Request;
  appSecret: string;
  trustedProxyHops: number;
}): Promise<{ httpStatus: number; body: Record<string, unknown>; storedItems: number }> {
  const source = webhookSourceOf(req.headers, trustedProxyHops);
  const rawBody = await readBodyWithin(req, webhookBodyLimitBytes);
  if (!rawBody) {
    await recordRefusedWebhook({
      db,
      reason: "body too large",
      source,
      bodyBytes: Number(req.headers.get("content-length")) || webhookBodyLimitBytes + 1,
    });
    return {
      httpStatus: 413,
      body: { error: `The body is larger than ${webhookBodyLimitBytes} bytes (3 MiB), the most Meta sends.` },
      storedItems: 0,
    };
  }
  const result = await receiveWebhook({ db, rawBody, signatureHeader: req.headers.get("x-hub-signature-256"), appSecret, source });
  if (result.httpStatus !== 200) return { httpStatus: result.httpStatus, body: { error: result.error }, storedItems: 0 };
  return {
    httpStatus: 200,
    body: { received: true, stored: result.storedItems, quarantined: result.quarantinedItems, duplicates: result.duplicateItems },
    storedItems: result.storedItems - result.quarantinedItems,
  };
}

export type ReceiveResult =
  | {
      httpStatus: 200;
      eventId: string | null;
      storedItems: number;
      quarantinedItems: number;
      duplicateItems: number;
      duplicateBatch: boolean;
    }
  | { httpStatus: 400 | 401 | 413; error: string };

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
  source: WebhookSource;
}): Promise<ReceiveResult> {
  const signature = verifyWebhookSignature(rawBody, signatureHeader, appSecret);
  if (!signature.ok) {
    await recordRefusedWebhook({ db, reason: `signature ${signature.reason}`, source, bodyBytes: rawBody.byteLength });
    return { httpStatus: 401, error: "Invalid X-Hub-Signature-256." };
  }

  const json = parseWebhookJson(Buffer.from(rawBody).toString("utf8"));
  const envelope = json.ok ? safeParseWebhookPayload(json.json) : null;
  if (!envelope?.ok) {
    const detail = json.ok ? 'expected {"object": string, "entry": [...]}' : json.reason.startsWith("nested") ? json.reason : "not JSON";
    await recordRefusedWebhook({ db, reason: "payload not a webhook envelope", source, bodyBytes: rawBody.byteLength, detail });
    return { httpStatus: 400, error: `Signed body is not a WhatsApp webhook envelope (${detail}).` };
  }
  const payload = envelope.payload;

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
      status: item.kind === "invalid" ? "QUARANTINED" : "PENDING",
      quarantineReason: item.kind === "invalid" ? item.reason : null,
    })),
  });
  return {
    httpStatus: 200,
    eventId: stored.eventId,
    storedItems: stored.insertedItems,
    quarantinedItems: stored.quarantinedItems,
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
  status: "PENDING" | "QUARANTINED";
  quarantineReason: string | null;
};

type StoreRequest = { bodySha256: string; object: string; payload: Prisma.InputJsonValue; items: ItemRow[] };
type StoreResult = { eventId: string | null; insertedItems: number; quarantinedItems: number };
type Waiting = StoreRequest & { resolve: (result: StoreResult) => void; reject: (error: unknown) => void };

/**
 * Group commit: the batches of POSTs that arrive while the store statements of this process are busy wait and go
 * together in the next one — one statement and one transaction for many POSTs, each POST still answered only once
 * its own rows are committed. At most `concurrentStatements` run at once; an idle process stores a batch at once
 * (after the current turn of the event loop, so POSTs read together go together).
 */
export const webhookStoreGrouping = { concurrentStatements: 2, maxBatchesPerStatement: 100, maxItemsPerStatement: 2000 };

const storeQueues = new WeakMap<Db, { waiting: Waiting[]; running: number; scheduled: boolean }>();

/** How many store statements this process ran, and for how many batches (read by tests). */
export const webhookStoreStats = { statements: 0, batches: 0 };

function storeBatch({ db, ...request }: StoreRequest & { db: Db }): Promise<StoreResult> {
  let queue = storeQueues.get(db);
  if (!queue) storeQueues.set(db, (queue = { waiting: [], running: 0, scheduled: false }));
  const q = queue;
  const done = new Promise<StoreResult>((resolve, reject) => q.waiting.push({ ...request, resolve, reject }));
  scheduleStore(db, q);
  return done;
}

function scheduleStore(db: Db, queue: { waiting: Waiting[]; running: number; scheduled: boolean }) {
  if (queue.scheduled || queue.running >= webhookStoreGrouping.concurrentStatements || queue.waiting.length === 0) return;
  queue.scheduled = true;
  setImmediate(() => {
    queue.scheduled = false;
    if (queue.running >= webhookStoreGrouping.concurrentStatements || queue.waiting.length === 0) return;
    const group: Waiting[] = [];
    let items = 0;
    while (
      queue.waiting.length &&
      group.length < webhookStoreGrouping.maxBatchesPerStatement &&
      (group.length === 0 || items + queue.waiting[0]!.items.length <= webhookStoreGrouping.maxItemsPerStatement)
    ) {
      const next = queue.waiting.shift()!;
      items += next.items.length;
      group.push(next);
    }
    queue.running++;
    void storeGroup(db, group).finally(() => {
      queue.running--;
      scheduleStore(db, queue);
    });
    // more waiting than one statement takes, and a statement slot free: start the next one too
    scheduleStore(db, queue);
  });
}

/** One statement for the group; if it fails, each batch on its own, so one batch's failure is its own. */
async function storeGroup(db: Db, group: Waiting[]) {
  try {
    const results = await storeBatches(db, group);
    group.forEach((waiting, n) => waiting.resolve(results[n]!));
  } catch (error) {
    if (group.length === 1) return group[0]!.reject(error);
    for (const waiting of group) {
      await storeBatches(db, [waiting]).then(
        ([result]) => waiting.resolve(result!),
        (err: unknown) => waiting.reject(err),
      );
    }
  }
}

/**
 * One statement, so it is atomic and one round trip: the batch rows (each skipped if these exact bytes were stored
 * before, or by an earlier batch of the same statement) and their items (each skipped if its idempotency key was
 * stored before, from any batch). Concurrent deliveries of the same batch or item serialise on the unique indexes;
 * exactly one copy wins. Rows go in in key order, so two statements never wait on each other's keys in a cycle.
 */
async function storeBatches(db: Db, group: StoreRequest[]): Promise<StoreResult[]> {
  webhookStoreStats.statements++;
  webhookStoreStats.batches += group.length;
  const batches = group.map((batch, n) => ({
    n,
    id: randomUUID(),
    bodySha256: batch.bodySha256,
    object: batch.object,
    payload: batch.payload,
    itemCount: batch.items.length,
  }));
  const items = group.flatMap((batch, n) => batch.items.map((item) => ({ n, ...item })));
  const rows = await db.$queryRaw<{ n: number; event_id: string | null; inserted: bigint; quarantined: bigint }[]>`
    WITH batch AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(batches)}::jsonb)
        AS b("n" int, "id" text, "bodySha256" text, "object" text, "payload" jsonb, "itemCount" int)
    ), event AS (
      INSERT INTO "webhook_events" ("id", "bodySha256", "object", "payload", "itemCount")
      SELECT "id", "bodySha256", "object", "payload", "itemCount" FROM batch ORDER BY "bodySha256"
      ON CONFLICT ("bodySha256") DO NOTHING
      RETURNING "id"
    ), inserted AS (
      INSERT INTO "webhook_items" ("id", "eventId", "key", "field", "kind", "wabaId", "phoneNumberId", "occurredAt", "payload", "status", "quarantineReason")
      SELECT item."id", event."id", item."key", item."field", item."kind", item."wabaId", item."phoneNumberId",
             item."occurredAt"::timestamp(3), item."payload", item."status"::"WebhookItemStatus", item."quarantineReason"
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS item(
        "n" int, "id" text, "key" text, "field" text, "kind" text, "wabaId" text, "phoneNumberId" text, "occurredAt" text, "payload" jsonb,
        "status" text, "quarantineReason" text)
      JOIN batch ON batch."n" = item."n"
      JOIN event ON event."id" = batch."id"
      ORDER BY item."key"
      ON CONFLICT ("key") DO NOTHING
      RETURNING "eventId", "status"
    )
    SELECT batch."n", event."id" AS event_id,
           (SELECT count(*) FROM inserted i WHERE i."eventId" = batch."id") AS inserted,
           (SELECT count(*) FROM inserted i WHERE i."eventId" = batch."id" AND i."status" = 'QUARANTINED') AS quarantined
      FROM batch LEFT JOIN event ON event."id" = batch."id"`;
  const byBatch = new Map(rows.map((row) => [Number(row.n), row]));
  return group.map((_, n) => {
    const row = byBatch.get(n);
    return { eventId: row?.event_id ?? null, insertedItems: Number(row?.inserted ?? 0), quarantinedItems: Number(row?.quarantined ?? 0) };
  });
}
