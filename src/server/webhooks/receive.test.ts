import { beforeEach, describe, expect, inject, it } from "vitest";
import { testDb } from "@/test/db";
import { processWebhookItems } from "@/server/webhooks/process";
import { createDb } from "@/server/db";
import { answerHandshake, receiveWebhook, webhookStoreStats } from "@/server/webhooks/receive";
import { signWebhookBody } from "@/server/whatsapp";
import type { WebhookHandler, WebhookHandlers } from "@/server/webhooks/dispatch";
import { webhookHandlers } from "@/server/wiring";

// the app's handlers, plus the probes this file adds for its own fields
const handlers: WebhookHandlers = { ...webhookHandlers };
const addProbeHandler = (field: string, handler: WebhookHandler) => void (handlers[field] = handler);

const appSecret = "test-app-secret";
const source = { ip: "203.0.113.9", userAgent: "facebookexternalua" };

// signWebhookBody is checked against a known answer in src/server/whatsapp/webhook-signature.test.ts.
const sign = (body: string | Uint8Array, secret = appSecret) => signWebhookBody(body, secret);
const bytes = (body: string) => new TextEncoder().encode(body);

let seq = 0;
const wamid = () => `wamid.TEST${Date.now()}${++seq}`;

function statusChange(phoneNumberId: string, statuses: { id: string; status: string; timestamp?: string }[]) {
  return {
    field: "messages",
    value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "34612345678", phone_number_id: phoneNumberId },
      statuses: statuses.map((s) => ({ id: s.id, status: s.status, timestamp: s.timestamp ?? "1763850000", recipient_id: "34600000001" })),
    },
  };
}

function inboundChange(phoneNumberId: string, id: string, text: string) {
  return {
    field: "messages",
    value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "34612345678", phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: "Proveedor Harinas" }, wa_id: "34600000001" }],
      messages: [{ from: "34600000001", id, timestamp: "1763850001", type: "text", text: { body: text } }],
    },
  };
}

const envelope = (...entries: { id: string; changes: unknown[] }[]) => ({ object: "whatsapp_business_account", entry: entries });

async function deliver(body: string, signature: string | null = sign(body)) {
  return receiveWebhook({ db: testDb(), rawBody: bytes(body), signatureHeader: signature, appSecret, source });
}

describe("webhook handshake", () => {
  it("echoes the challenge for the right token and refuses others", () => {
    expect(answerHandshake({ mode: "subscribe", verifyToken: "tok", challenge: "1158201444" }, "tok")).toEqual({
      status: 200,
      body: "1158201444",
    });
    expect(answerHandshake({ mode: "subscribe", verifyToken: "nope", challenge: "1" }, "tok").status).toBe(403);
    expect(answerHandshake({ mode: "subscribe", verifyToken: null, challenge: "1" }, "tok").status).toBe(403);
    expect(answerHandshake({ mode: null, verifyToken: "tok", challenge: "1" }, "tok").status).toBe(400);
  });
});

describe("webhook signatures", () => {
  const body = JSON.stringify(envelope({ id: "WABA1", changes: [statusChange("PN1", [{ id: "wamid.sig", status: "sent" }])] }));

  beforeEach(async () => {
    await testDb().alert.deleteMany({ where: { kind: "webhook_rejected" } });
  });

  it.each([
    ["missing header", null, /signature missing/],
    ["malformed header", "md5=abc", /signature malformed/],
    ["wrong secret", sign(body, "someone-elses-secret"), /signature mismatch/],
  ])("refuses a %s with 401, records a security event and alerts the admin", async (_case, header, reason) => {
    const before = await testDb().webhookEvent.count();
    const result = await deliver(body, header);
    expect(result.httpStatus).toBe(401);
    expect(await testDb().webhookEvent.count()).toBe(before);
    const event = await testDb().securityEvent.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(event.reason).toMatch(reason);
    expect(event.sourceIp).toBe("203.0.113.9");
    const alert = await testDb().alert.findFirstOrThrow({ where: { kind: "webhook_rejected", acknowledgedAt: null } });
    expect(alert.severity).toBe("CRITICAL");
    expect(alert.message).toContain("META_APP_SECRET");
  });

  it("refuses a body altered by one byte after signing", async () => {
    const signature = sign(body);
    const altered = body.replace('"sent"', '"read"');
    expect(altered.length).toBe(body.length + 0);
    expect((await deliver(altered, signature)).httpStatus).toBe(401);
  });

  it("collapses repeated rejections into one open alert with a counter", async () => {
    await deliver(body, null);
    await deliver(body, null);
    await deliver(body, "sha256=00");
    const alerts = await testDb().alert.findMany({ where: { kind: "webhook_rejected", acknowledgedAt: null } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.occurrences).toBe(3);
  });

  it("verifies over the exact bytes: escaped unicode and slashes are accepted as sent", async () => {
    // Meta escapes non-ASCII and "/" in its JSON; re-serialising would produce different bytes and a bad signature.
    const id = wamid();
    const raw =
      `{"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",` +
      `"metadata":{"display_phone_number":"34612345678","phone_number_id":"PN1"},"contacts":[{"profile":{"name":"Panader\\u00eda Jos\\u00e9"},"wa_id":"34600000001"}],` +
      `"messages":[{"from":"34600000001","id":"${id}","timestamp":"1763850001","type":"text","text":{"body":"Pedido 12\\/B \\ud83e\\udd56"}}]}}]}]}`;
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    const result = await deliver(raw);
    expect(result).toMatchObject({ httpStatus: 200, storedItems: 1 });
    const item = await testDb().webhookItem.findUniqueOrThrow({ where: { key: `message:${id}` } });
    expect(JSON.stringify(item.payload)).toContain("Pedido 12/B 🥖");
  });
});

describe("storing and dispatching batches", () => {
  it("stores every entry, change, status and message of a batch and dispatches each", async () => {
    const [a, b, c, d] = [wamid(), wamid(), wamid(), wamid()];
    const body = JSON.stringify(
      envelope(
        {
          id: "WABA1",
          changes: [
            statusChange("PN1", [
              { id: a, status: "sent" },
              { id: a, status: "delivered" },
            ]),
            inboundChange("PN1", b, "STOP"),
          ],
        },
        {
          id: "WABA2",
          changes: [
            statusChange("PN2", [{ id: c, status: "read" }]),
            {
              field: "message_template_status_update",
              value: {
                event: "APPROVED",
                message_template_id: 99,
                message_template_name: "po_notification",
                message_template_language: "es",
                reason: null,
              },
            },
            { field: "some_future_field", value: { anything: d } },
          ],
        },
      ),
    );
    const result = await deliver(body);
    expect(result).toMatchObject({ httpStatus: 200, storedItems: 6, duplicateItems: 0, duplicateBatch: false });
    if (result.httpStatus !== 200 || !result.eventId) throw new Error("not stored");

    const items = await testDb().webhookItem.findMany({ where: { eventId: result.eventId }, orderBy: { key: "asc" } });
    expect(items.map((i) => [i.field, i.kind, i.phoneNumberId, i.wabaId])).toEqual(
      expect.arrayContaining([
        ["messages", "status", "PN1", "WABA1"],
        ["messages", "message", "PN1", "WABA1"],
        ["messages", "status", "PN2", "WABA2"],
        ["message_template_status_update", "template_status", null, "WABA2"],
        ["some_future_field", "change", null, "WABA2"],
      ]),
    );
    expect(items.filter((i) => i.key.startsWith(`status:${a}:`))).toHaveLength(2);

    const summary = await processWebhookItems({ db: testDb(), handlers, eventId: result.eventId });
    expect(summary).toEqual({ claimed: 6, processed: 5, ignored: 1, failed: 0 });
    const after = await testDb().webhookItem.findMany({ where: { eventId: result.eventId } });
    expect(after.find((i) => i.field === "some_future_field")?.status).toBe("IGNORED");
    expect(after.filter((i) => i.status === "PROCESSED")).toHaveLength(5);
  });

  it("keeps one copy of a batch delivered twice, one after the other and concurrently", async () => {
    const ids = [wamid(), wamid(), wamid()];
    const body = JSON.stringify(
      envelope({
        id: "WABA1",
        changes: [
          statusChange(
            "PN1",
            ids.map((id) => ({ id, status: "delivered" })),
          ),
        ],
      }),
    );
    const first = await deliver(body);
    const again = await deliver(body);
    expect(first).toMatchObject({ storedItems: 3, duplicateBatch: false });
    expect(again).toMatchObject({ httpStatus: 200, storedItems: 0, duplicateItems: 3, duplicateBatch: true });

    const ids2 = [wamid(), wamid()];
    const body2 = JSON.stringify(
      envelope({
        id: "WABA1",
        changes: [
          statusChange(
            "PN1",
            ids2.map((id) => ({ id, status: "read" })),
          ),
        ],
      }),
    );
    const results = await Promise.all(Array.from({ length: 6 }, () => deliver(body2)));
    expect(results.every((r) => r.httpStatus === 200)).toBe(true);
    expect(results.filter((r) => r.httpStatus === 200 && !r.duplicateBatch)).toHaveLength(1);
    expect(await testDb().webhookItem.count({ where: { key: { in: ids2.map((id) => `status:${id}:read`) } } })).toBe(2);
  });

  it("recognises an item re-delivered inside a different batch", async () => {
    const id = wamid();
    const one = JSON.stringify(envelope({ id: "WABA1", changes: [statusChange("PN1", [{ id, status: "delivered" }])] }));
    const other = JSON.stringify(
      envelope({
        id: "WABA1",
        changes: [
          statusChange("PN1", [
            { id, status: "delivered" },
            { id, status: "read" },
          ]),
        ],
      }),
    );
    expect(await deliver(one)).toMatchObject({ storedItems: 1 });
    expect(await deliver(other)).toMatchObject({ storedItems: 1, duplicateItems: 1, duplicateBatch: false });
  });

  it("dispatches each item exactly once when processors race", async () => {
    const seen = new Map<string, number>();
    addProbeHandler("race_probe", async (item) => {
      seen.set(item.key, (seen.get(item.key) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 2));
    });
    const changes = Array.from({ length: 40 }, (_, i) => ({ field: "race_probe", value: { n: i, run: wamid() } }));
    const result = await deliver(JSON.stringify(envelope({ id: "WABA1", changes })));
    if (result.httpStatus !== 200) throw new Error("not stored");
    const summaries = await Promise.all(
      Array.from({ length: 4 }, () => processWebhookItems({ db: testDb(), handlers, eventId: result.eventId ?? undefined, limit: 15 })),
    );
    const again = await processWebhookItems({ db: testDb(), handlers, eventId: result.eventId ?? undefined });
    expect(summaries.reduce((n, s) => n + s.processed, 0) + again.processed).toBe(40);
    expect(seen.size).toBe(40);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  });

  it("retries a failed item after its backoff and reclaims one whose processor died", async () => {
    let calls = 0;
    addProbeHandler("flaky_probe", async () => {
      calls += 1;
      if (calls === 1) throw new Error("database hiccup");
    });
    const result = await deliver(JSON.stringify(envelope({ id: "WABA1", changes: [{ field: "flaky_probe", value: { run: wamid() } }] })));
    const eventId = result.httpStatus === 200 ? (result.eventId ?? undefined) : undefined;
    const now = new Date();
    expect(await processWebhookItems({ db: testDb(), handlers, eventId, now })).toMatchObject({ failed: 1 });
    const failed = await testDb().webhookItem.findFirstOrThrow({ where: { eventId } });
    expect(failed).toMatchObject({ status: "FAILED", lastError: "database hiccup", attempts: 1 });

    expect(await processWebhookItems({ db: testDb(), handlers, eventId, now: new Date(now.getTime() + 5_000) })).toMatchObject({
      claimed: 0,
    });
    expect(await processWebhookItems({ db: testDb(), handlers, eventId, now: new Date(now.getTime() + 31_000) })).toMatchObject({
      processed: 1,
    });

    // a processor that claimed an item and died leaves it PROCESSING; after 5 minutes it is claimed again
    const stuck = await deliver(JSON.stringify(envelope({ id: "WABA1", changes: [{ field: "flaky_probe", value: { run: wamid() } }] })));
    const stuckId = stuck.httpStatus === 200 ? (stuck.eventId ?? undefined) : undefined;
    await testDb().webhookItem.updateMany({
      where: { eventId: stuckId },
      data: { status: "PROCESSING", claimedAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect(await processWebhookItems({ db: testDb(), handlers, eventId: stuckId })).toMatchObject({ processed: 1 });
  });

  it("answers 400 for a correctly signed body that is not a webhook envelope, storing nothing", async () => {
    const body = "not json at all";
    const result = await deliver(body);
    expect(result.httpStatus).toBe(400);
  });
});

describe("group commit: POSTs arriving together are stored by one statement", () => {
  const statusBody = (statuses: { id: string; status: string }[]) =>
    JSON.stringify(envelope({ id: "WABA1", changes: [statusChange("PN1", statuses)] }));

  it("stores concurrent POSTs in fewer statements, each answered with its own counts", async () => {
    const shared = wamid();
    const copied = statusBody([{ id: wamid(), status: "sent" }]);
    const distinct = Array.from({ length: 20 }, () => statusBody([{ id: wamid(), status: "delivered" }]));
    const sharingA = statusBody([
      { id: shared, status: "read" },
      { id: wamid(), status: "read" },
    ]);
    const sharingB = statusBody([{ id: shared, status: "read" }]);
    const withInvalid = statusBody([
      { id: wamid(), status: "sent" },
      { id: "", status: "sent" },
    ]);
    const before = { ...webhookStoreStats };
    const [copies, many, a, b, invalid] = await Promise.all([
      Promise.all([deliver(copied), deliver(copied), deliver(copied)]),
      Promise.all(distinct.map((body) => deliver(body))),
      deliver(sharingA),
      deliver(sharingB),
      deliver(withInvalid),
    ]);
    const posts = 3 + distinct.length + 3;
    expect(webhookStoreStats.batches - before.batches).toBe(posts);
    expect(webhookStoreStats.statements - before.statements).toBeLessThan(posts);

    expect(copies.filter((r) => r.httpStatus === 200 && !r.duplicateBatch)).toHaveLength(1);
    expect(copies.filter((r) => r.httpStatus === 200 && r.duplicateBatch && r.storedItems === 0)).toHaveLength(2);
    expect(many.every((r) => r.httpStatus === 200 && r.storedItems === 1 && !r.duplicateBatch)).toBe(true);
    // the item both batches carry is stored once, by one of them
    if (a.httpStatus !== 200 || b.httpStatus !== 200) throw new Error("expected 200");
    expect(a.storedItems + b.storedItems).toBe(2);
    expect(a.duplicateItems + b.duplicateItems).toBe(1);
    expect(await testDb().webhookItem.count({ where: { key: `status:${shared}:read` } })).toBe(1);
    expect(invalid).toMatchObject({ httpStatus: 200, storedItems: 2, quarantinedItems: 1 });
  });

  it("keeps one copy when two processes (two pools) store the same batches at once", async () => {
    const other = createDb(inject("databaseUrl"), 2);
    try {
      const bodies = Array.from({ length: 8 }, () => statusBody([{ id: wamid(), status: "delivered" }]));
      const deliverVia = (db: typeof other, body: string) =>
        receiveWebhook({ db, rawBody: bytes(body), signatureHeader: sign(body), appSecret, source });
      const results = await Promise.all(bodies.flatMap((body) => [deliverVia(testDb(), body), deliverVia(other, body)]));
      expect(results.every((r) => r.httpStatus === 200)).toBe(true);
      for (let i = 0; i < bodies.length; i++) {
        const pair = [results[2 * i]!, results[2 * i + 1]!];
        expect(pair.filter((r) => r.httpStatus === 200 && !r.duplicateBatch && r.storedItems === 1)).toHaveLength(1);
      }
    } finally {
      await other.$disconnect();
    }
  });

  it("a batch that cannot be stored fails alone; the others of its statement are stored", async () => {
    // a NUL character is valid JSON but not valid in Postgres' jsonb: this batch's insert fails
    const bad = statusBody([{ id: `wamid.${String.fromCharCode(0)}x`, status: "sent" }]);
    const good = Array.from({ length: 5 }, () => statusBody([{ id: wamid(), status: "sent" }]));
    const results = await Promise.allSettled([deliver(bad), ...good.map((body) => deliver(body))]);
    expect(results[0]!.status).toBe("rejected");
    for (const result of results.slice(1))
      expect(result).toMatchObject({ status: "fulfilled", value: { httpStatus: 200, storedItems: 1 } });
  });
});
