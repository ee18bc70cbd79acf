/**
 * Webhook intake against hostile or broken input: signed batches mixing valid statuses with malformed items
 * (property-based), oversized and deeply nested bodies, items that keep failing, and floods of forged POSTs
 * with spoofed X-Forwarded-For headers. Real Postgres, bodies signed here with node:crypto.
 */
import { createHash, randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Db } from "@/server/db";
import { processWebhookItems, webhookProcessing } from "@/server/webhooks/process";
import { handleWebhookPost } from "@/server/webhooks/receive";
import type { WebhookHandler, WebhookHandlers } from "@/server/webhooks/dispatch";
import { rerunQuarantinedItem } from "@/server/webhooks/quarantine";
import { signWebhookBody } from "@/server/whatsapp";
import { webhookHandlers } from "@/server/wiring";
import { webhookBodyLimitBytes, webhookSourceOf } from "@/server/webhooks/request-source";
import { securityEventLimits } from "@/server/webhooks/security-events";
import { testDb } from "@/test/db";
import { callerAs, createAdmin } from "@/test/fixtures";
import { createContactRow, createSendingTenant, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

const appSecret = "test-app-secret";
const sign = (body: string) => signWebhookBody(body, appSecret);

// the app's handlers, plus the probes this file adds for its own fields
const handlers: WebhookHandlers = { ...webhookHandlers };
const registerWebhookHandler = (field: string, handler: WebhookHandler) => void (handlers[field] = handler);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function post(
  body: string,
  {
    signature = sign(body),
    forwardedFor,
    trustedProxyHops = 0,
  }: { signature?: string | null; forwardedFor?: string; trustedProxyHops?: number } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "facebookexternalua" };
  if (signature) headers["x-hub-signature-256"] = signature;
  if (forwardedFor !== undefined) headers["x-forwarded-for"] = forwardedFor;
  const req = new Request("http://localhost/api/webhooks/whatsapp", { method: "POST", headers, body });
  return handleWebhookPost({ db: testDb(), req, appSecret, trustedProxyHops });
}

const messagesChange = (statuses: unknown[], messages: unknown[] = []) => ({
  field: "messages",
  value: {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "34612345678", phone_number_id: "PN-HOSTILE" },
    statuses,
    messages,
  },
});
const envelope = (entries: unknown[]) => ({ object: "whatsapp_business_account", entry: entries });

let world: { tenantId: string; contactId: string };
beforeAll(async () => {
  const { tenant } = await createSendingTenant(testDb(), simulatorUrl);
  const contact = await createContactRow(testDb(), tenant.id);
  world = { tenantId: tenant.id, contactId: contact.id };
});

async function outboundMessages(db: Db, count: number) {
  return Promise.all(
    Array.from({ length: count }, () =>
      db.message.create({
        data: {
          tenantId: world.tenantId,
          contactId: world.contactId,
          direction: "OUTBOUND",
          type: "template",
          templateName: "po_notification",
          source: "test",
          wamid: `wamid.H${randomUUID()}`,
          status: "SENT",
          statusRank: 2,
        },
      }),
    ),
  );
}

describe("one bad item never sinks a batch", () => {
  it("a status with a millisecond or non-numeric timestamp is quarantined; the valid status of the same batch is applied", async () => {
    const db = testDb();
    const [message] = await outboundMessages(db, 1);
    const msTimestamp = { id: `wamid.bad-${randomUUID()}`, status: "delivered", timestamp: 1000000000000, recipient_id: "34600000001" };
    const textTimestamp = { id: `wamid.bad-${randomUUID()}`, status: "read", timestamp: "not-a-number", recipient_id: "34600000001" };
    const good = { id: message!.wamid, status: "delivered", timestamp: String(nowSeconds() - 5), recipient_id: "34600000001" };
    const body = JSON.stringify(envelope([{ id: "WABA-H", changes: [messagesChange([msTimestamp, good, textTimestamp])] }]));

    const answer = await post(body);
    expect(answer).toMatchObject({ httpStatus: 200, body: { received: true, stored: 3, quarantined: 2 } });
    await processWebhookItems({ db, handlers });
    expect(await db.message.findUniqueOrThrow({ where: { id: message!.id } })).toMatchObject({ status: "DELIVERED" });

    const quarantined = await db.webhookItem.findMany({
      where: { status: "QUARANTINED", payload: { path: ["id"], string_contains: "wamid.bad-" } },
      orderBy: { createdAt: "asc" },
    });
    const mine = quarantined.filter((q) => [msTimestamp.id, textTimestamp.id].includes((q.payload as { id: string }).id));
    expect(mine).toHaveLength(2);
    for (const item of mine) expect(item.quarantineReason).toMatch(/statuses\[\d\]\.timestamp: expected/);
    // nothing was dated 1970 (or year 33658)
    expect(mine.every((q) => q.occurredAt === null)).toBe(true);

    // Meta retrying the same bytes is a duplicate, not a failure
    expect(await post(body)).toMatchObject({ httpStatus: 200, body: { stored: 0, duplicates: 3 } });
  });

  it("property: signed batches mixing valid statuses with malformed items answer 200, 400 or 413 (never 500); valid statuses apply once, bad items are quarantined", async () => {
    const db = testDb();
    const marker = () => fc.uuid();
    const badTimestamp = fc.oneof(
      fc.constant(1000000000000),
      fc.integer({ min: -2_000_000_000, max: 1_577_836_799 }),
      fc.integer({ min: nowSeconds() + 2 * 86400, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
      fc.string().filter((s) => !/^\d{1,12}$/.test(s)),
      fc.constant("1e12"),
      fc.constant(null),
      fc.constant(true),
    );
    const badStatus = fc.oneof(
      fc.record({ marker: marker(), id: fc.constant("wamid.never"), status: fc.constant("delivered"), timestamp: badTimestamp }),
      fc.record({ marker: marker(), status: fc.constant("delivered"), timestamp: fc.constant(String(nowSeconds())) }),
      fc.record({
        marker: marker(),
        id: fc.oneof(fc.integer(), fc.constant(""), fc.constant(null), fc.array(fc.string())),
        status: fc.constant("delivered"),
        timestamp: fc.constant(String(nowSeconds())),
      }),
      fc.record({
        marker: marker(),
        id: fc.constant("wamid.never"),
        status: fc.oneof(fc.integer(), fc.constant(null), fc.object()),
        timestamp: fc.constant(String(nowSeconds())),
      }),
    );
    const badMessage = fc.record({
      marker: marker(),
      id: fc.constant("wamid.in-never"),
      from: fc.constant("34600000001"),
      type: fc.constant("text"),
      timestamp: badTimestamp,
    });
    const badEntry = fc.oneof(
      fc.record({ marker: marker(), id: fc.oneof(fc.constant(null), fc.object(), fc.boolean()), changes: fc.constant([]) }),
      fc.record({ marker: marker(), id: fc.constant("WABA-H"), changes: fc.oneof(fc.string(), fc.integer(), fc.object()) }),
      fc.record({ marker: marker(), id: fc.constant("WABA-H"), time: badTimestamp, changes: fc.constant([]) }),
    );
    const badChange = fc.oneof(
      fc.record({ marker: marker(), value: fc.object() }),
      fc.record({ marker: marker(), field: fc.oneof(fc.integer(), fc.constant("")), value: fc.object() }),
      fc.record({
        field: fc.constant("messages"),
        value: fc.record({ marker: marker(), statuses: fc.oneof(fc.string(), fc.integer(), fc.object()) }),
      }),
    );
    const unknownFields = fc.dictionary(
      fc
        .string({ minLength: 1, maxLength: 12 })
        .filter((k) => !["id", "status", "timestamp", "errors", "conversation", "pricing"].includes(k)),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 3 },
    );
    const deepNesting = fc.integer({ min: 40, max: 6000 });

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        unknownFields,
        fc.array(badStatus, { maxLength: 4 }),
        fc.array(badMessage, { maxLength: 2 }),
        fc.array(badEntry, { maxLength: 2 }),
        fc.array(badChange, { maxLength: 2 }),
        fc.option(deepNesting, { freq: 6 }),
        fc.boolean(),
        async (validCount, extraFields, badStatuses, badMessages, badEntries, badChanges, nesting, reverse) => {
          const messages = await outboundMessages(db, validCount);
          const valid = messages.map((m, i) => ({
            ...extraFields,
            id: m.wamid,
            status: "delivered",
            timestamp: String(nowSeconds() - 60 + i),
            recipient_id: "34600000001",
          }));
          const statuses = reverse ? [...badStatuses, ...valid].reverse() : [...valid, ...badStatuses];
          const entries: unknown[] = [{ id: "WABA-H", changes: [messagesChange(statuses, badMessages), ...badChanges] }, ...badEntries];
          // written as text: JSON.stringify itself overflows the stack on such values
          if (nesting !== null) entries.push({ id: "WABA-H", changes: [{ field: "deep", value: "__DEEP__" }] });
          const body = JSON.stringify(envelope(entries)).replace('"__DEEP__"', `${"[".repeat(nesting ?? 0)}${"]".repeat(nesting ?? 0)}`);
          const eventsBefore = await db.webhookEvent.count();

          const answer = await post(body);
          expect([200, 400, 413]).toContain(answer.httpStatus);
          expect(answer.body).toBeTypeOf("object");

          if (nesting !== null) {
            expect(answer.httpStatus).toBe(400);
            expect(await db.webhookEvent.count()).toBe(eventsBefore);
            return;
          }
          expect(answer.httpStatus).toBe(200);
          const event = await db.webhookEvent.findUniqueOrThrow({ where: { bodySha256: createHash("sha256").update(body).digest("hex") } });
          await processWebhookItems({ db, handlers, eventId: event.id });

          for (const m of messages) {
            const after = await db.message.findUniqueOrThrow({ where: { id: m.id }, include: { statusEvents: true } });
            expect(after.status).toBe("DELIVERED");
            expect(after.statusEvents.map((e) => e.status)).toEqual(["DELIVERED"]);
          }
          const items = await db.webhookItem.findMany({ where: { eventId: event.id } });
          const quarantined = items.filter((i) => i.status === "QUARANTINED");
          expect(quarantined.every((i) => (i.quarantineReason ?? "").length > 0 && i.occurredAt === null)).toBe(true);
          const markers = [...badStatuses, ...badMessages, ...badEntries].map((b) => b.marker);
          for (const change of badChanges) markers.push("marker" in change ? change.marker : change.value.marker);
          const stored = quarantined.map((i) => JSON.stringify(i.payload));
          for (const m of markers)
            expect(
              stored.some((s) => s.includes(m)),
              `bad item ${m} quarantined`,
            ).toBe(true);
          expect(quarantined).toHaveLength(markers.length);
          expect(items.filter((i) => i.status !== "QUARANTINED").every((i) => i.status === "PROCESSED" || i.status === "IGNORED")).toBe(
            true,
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("a body above 3 MiB answers 413 and stores nothing; one nested 5,000 levels deep answers 400 with a reason", async () => {
    const db = testDb();
    const before = await db.webhookEvent.count();
    const padding = "x".repeat(5 * 1024 * 1024);
    const huge = JSON.stringify(envelope([{ id: "WABA-H", changes: [{ field: "messages", value: { padding } }] }]));
    const answer = await post(huge);
    expect(answer).toMatchObject({ httpStatus: 413, body: { error: expect.stringContaining("3 MiB") } });
    const justOver = JSON.stringify({ ...envelope([]), pad: "y".repeat(webhookBodyLimitBytes) });
    expect((await post(justOver)).httpStatus).toBe(413);

    const deep = JSON.stringify(envelope([{ id: "WABA-H", changes: [{ field: "messages", value: "__DEEP__" }] }])).replace(
      '"__DEEP__"',
      `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`,
    );
    const nested = await post(deep);
    expect(nested).toMatchObject({ httpStatus: 400, body: { error: expect.stringContaining("nested more than") } });
    expect(await db.webhookEvent.count()).toBe(before);
  });
});

describe("an item whose processing keeps failing", () => {
  it("goes to quarantine after its last retry with its error, and the admin gets one alert", async () => {
    const db = testDb();
    await db.alert.deleteMany({ where: { kind: "webhook_item_quarantined" } });
    registerWebhookHandler("always_failing_probe", async () => {
      throw new Error("handler bug");
    });
    const answer = await post(
      JSON.stringify(
        envelope([
          {
            id: "WABA-H",
            changes: [
              { field: "always_failing_probe", value: { run: randomUUID() } },
              { field: "always_failing_probe", value: { run: randomUUID() } },
            ],
          },
        ]),
      ),
    );
    expect(answer.httpStatus).toBe(200);
    const event = await db.webhookEvent.findFirstOrThrow({ orderBy: { receivedAt: "desc" } });
    let at = Date.now();
    for (let attempt = 1; attempt <= webhookProcessing.maxAttempts; attempt++) {
      await processWebhookItems({ db, handlers, eventId: event.id, now: new Date(at) });
      at += 3_600_000 + 1_000;
    }
    const items = await db.webhookItem.findMany({ where: { eventId: event.id } });
    expect(items.map((i) => [i.status, i.attempts])).toEqual([
      ["QUARANTINED", webhookProcessing.maxAttempts],
      ["QUARANTINED", webhookProcessing.maxAttempts],
    ]);
    for (const item of items)
      expect(item.quarantineReason).toBe(`processing failed ${webhookProcessing.maxAttempts} times; last error: handler bug`);
    expect(await processWebhookItems({ db, handlers, eventId: event.id, now: new Date(at) })).toMatchObject({ claimed: 0 });
    const alerts = await db.alert.findMany({ where: { kind: "webhook_item_quarantined", acknowledgedAt: null } });
    expect(alerts).toHaveLength(1);
  });
});

describe("admins re-run a quarantined item", () => {
  it("a processing failure runs again once fixed; an invalid item is validated again and refused while it still fails", async () => {
    const db = testDb();
    const admin = callerAs(db, await createAdmin(db));
    let broken = true;
    registerWebhookHandler("fixable_probe", async () => {
      if (broken) throw new Error("bug before the fix");
    });
    await post(JSON.stringify(envelope([{ id: "WABA-H", changes: [{ field: "fixable_probe", value: { run: randomUUID() } }] }])));
    const event = await db.webhookEvent.findFirstOrThrow({ orderBy: { receivedAt: "desc" } });
    let at = Date.now();
    for (let attempt = 1; attempt <= webhookProcessing.maxAttempts; attempt++, at += 3_601_000)
      await processWebhookItems({ db, handlers, eventId: event.id, now: new Date(at) });
    const failed = await db.webhookItem.findFirstOrThrow({ where: { eventId: event.id } });
    expect(failed.status).toBe("QUARANTINED");

    const listed = await admin.admin.quarantinedWebhookItems();
    expect(listed.total).toBeGreaterThanOrEqual(1);
    expect(listed.items.find((i) => i.id === failed.id)).toMatchObject({
      quarantineReason: expect.stringContaining("bug before the fix"),
      reasonCode: "processing_failed",
      reasonParams: { attempts: webhookProcessing.maxAttempts, detail: expect.stringContaining("bug before the fix") },
      rawItem: expect.stringContaining("run"),
    });

    broken = false;
    // the router runs the app's handlers; this file's probe field is handed in beside them
    const actor = { userId: null, label: "test" };
    expect(await rerunQuarantinedItem({ db, handlers, itemId: failed.id, actor })).toMatchObject({ status: "PROCESSED" });
    await expect(admin.admin.rerunWebhookItem({ itemId: failed.id })).rejects.toMatchObject({ cause: { code: "NOT_FOUND" } });

    // an item that still fails validation stays where it is
    const bad = { id: `wamid.bad-${randomUUID()}`, status: "delivered", timestamp: "soon" };
    await post(JSON.stringify(envelope([{ id: "WABA-H", changes: [messagesChange([bad])] }])));
    const invalid = await db.webhookItem.findFirstOrThrow({ where: { status: "QUARANTINED", payload: { path: ["id"], equals: bad.id } } });
    await expect(admin.admin.rerunWebhookItem({ itemId: invalid.id })).rejects.toMatchObject({
      cause: { code: "VALIDATION_FAILED", details: { reason: expect.stringContaining("timestamp") } },
    });
    expect((await db.webhookItem.findUniqueOrThrow({ where: { id: invalid.id } })).status).toBe("QUARANTINED");

    // one quarantined by an older, stricter parser is stored and applied now that it validates
    const [message] = await outboundMessages(db, 1);
    const payload = envelope([
      { id: "WABA-H", changes: [messagesChange([{ id: message!.wamid, status: "read", timestamp: String(nowSeconds()) }])] },
    ]);
    const legacy = await db.webhookEvent.create({
      data: { bodySha256: `legacy-${randomUUID()}`, object: "whatsapp_business_account", payload: payload as never, itemCount: 1 },
    });
    const old = await db.webhookItem.create({
      data: {
        eventId: legacy.id,
        key: `invalid:messages:legacy-${randomUUID()}`,
        field: "messages",
        kind: "invalid",
        payload: {},
        status: "QUARANTINED",
        quarantineReason: "older rule",
      },
    });
    expect(await admin.admin.rerunWebhookItem({ itemId: old.id })).toMatchObject({ status: "PROCESSED", storedItems: 1 });
    expect(await db.message.findUniqueOrThrow({ where: { id: message!.id } })).toMatchObject({ status: "READ" });
    expect(await db.auditLog.count({ where: { action: "webhook_item.rerun", targetId: { in: [failed.id, old.id] } } })).toBe(2);
  });
});

describe("forged POSTs", () => {
  it("100 forged POSTs from one source write at most 2 security-event rows; the spoofed part of the header is never stored", async () => {
    const db = testDb();
    const before = await db.securityEvent.count();
    const spoof = "<img src=x onerror=alert(1)>, 10.0.0.1";
    const results = [];
    for (let i = 0; i < 100; i++)
      results.push(
        await post(JSON.stringify(envelope([])), { signature: i % 2 ? null : "sha256=00", forwardedFor: `${spoof}, 198.51.100.77` }),
      );
    expect(results.every((r) => r.httpStatus === 401)).toBe(true);
    const rows = await db.securityEvent.findMany({ where: { sourceIp: "198.51.100.77" } });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + r.occurrences, 0)).toBe(100);
    expect((await db.securityEvent.count()) - before).toBe(rows.length);

    const alert = await db.alert.findFirstOrThrow({ where: { kind: "webhook_rejected", acknowledgedAt: null } });
    expect(alert.message).not.toMatch(/<|198\.51|10\.0\.0\.1/);
    const all = await db.securityEvent.findMany();
    expect(all.some((r) => (r.sourceIp ?? "").includes("<") || (r.sourceIp ?? "").includes(","))).toBe(false);
  });

  it('a header that is not an IP at the trusted entry is stored as "invalid"; entries left of it are never read', async () => {
    const db = testDb();
    await post(JSON.stringify(envelope([])), { signature: null, forwardedFor: "<script>x</script>" });
    const invalid = await db.securityEvent.findFirstOrThrow({ where: { sourceIp: "invalid" }, orderBy: { lastSeenAt: "desc" } });
    expect(invalid.reason).toBe("signature missing");

    // npm run serve appends the socket's address; each trusted proxy appends the one it received the request from
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "203.0.113.5" }), 0).ip).toBe("203.0.113.5");
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.5" }), 0).ip).toBe("203.0.113.5");
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.5, 10.0.0.2" }), 1).ip).toBe("203.0.113.5");
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "[2001:DB8::1]:443, 10.0.0.2" }), 1).ip).toBe("2001:db8::1");
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "203.0.113.5" }), 2).ip).toBeNull();
    expect(webhookSourceOf(new Headers({ "x-forwarded-for": "<b>x</b>, 10.0.0.2" }), 1).ip).toBe("invalid");
    expect(webhookSourceOf(new Headers({}), 1).ip).toBeNull();
  });

  it("many sources in one minute share an overflow row once the per-minute cap is reached", async () => {
    const db = testDb();
    const cap = securityEventLimits.sourcesPerMinute;
    securityEventLimits.sourcesPerMinute =
      (await db.securityEvent.count({ where: { createdAt: { gte: new Date(Math.floor(Date.now() / 60_000) * 60_000) } } })) + 3;
    try {
      const before = await db.securityEvent.count();
      for (let i = 0; i < 20; i++) await post(JSON.stringify(envelope([])), { signature: null, forwardedFor: `192.0.2.${i + 1}` });
      const added = (await db.securityEvent.count()) - before;
      // 3 sources of their own, one overflow row (two if the minute turned during the loop)
      expect(added).toBeLessThanOrEqual(3 + 1 + 3 + 1);
      expect(await db.securityEvent.count({ where: { bucket: { contains: "|overflow|" } } })).toBeGreaterThanOrEqual(1);
    } finally {
      securityEventLimits.sourcesPerMinute = cap;
    }
  });
});
