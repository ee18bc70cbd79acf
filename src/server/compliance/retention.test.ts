import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { retentionJob, retentionPeriodsFromEnv } from "@/server/compliance/jobs";
import { defaultRetentionPeriods, runRetention } from "@/server/compliance/retention";
import { parseEnv } from "@/server/env";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { testDb } from "@/test/db";
import { createTenantWithOwner } from "@/test/fixtures";

const db = testDb();
const dayMs = 24 * 60 * 60 * 1000;

/** A bakery with one contact and rows of every kind the retention run looks at, each `days` old as of `now`. */
async function seedWorld(now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * dayMs);
  const { tenant } = await createTenantWithOwner(db);
  const contact = await db.contact.create({
    data: { tenantId: tenant.id, phoneE164: `+3461${String(Date.now()).slice(-7)}`, name: "Ana", optedIn: true, optedInAt: ago(400) },
  });
  const consent = await db.consentRecord.create({
    data: { tenantId: tenant.id, contactId: contact.id, optedIn: true, source: "manual", note: "signed form", createdAt: ago(400) },
  });
  const message = (days: number, body: string) =>
    db.message.create({
      data: {
        tenantId: tenant.id,
        contactId: contact.id,
        direction: "OUTBOUND",
        type: "template",
        templateName: "order_ready",
        templateLanguage: "es",
        parameters: ["Ana", `order ${days}`],
        body,
        source: "ui",
        status: "DELIVERED",
        wamid: `wamid.retention.${randomUUID()}`,
        createdAt: ago(days),
        statusAt: ago(days),
      },
    });
  const old = await message(91, "Your order is ready (91 days ago)");
  const recent = await message(89, "Your order is ready (89 days ago)");
  const ancient = await message(366, "Your order is ready (366 days ago)");
  const statusEvent = (messageId: string, days: number, status: "SENT" | "DELIVERED") =>
    db.messageStatusEvent.create({ data: { messageId, status, occurredAt: ago(days), createdAt: ago(days) } });
  const ancientStatus = await statusEvent(ancient.id, 366, "SENT");
  const keptStatus = await statusEvent(old.id, 91, "SENT");
  const recentStatus = await statusEvent(recent.id, 89, "DELIVERED");

  const webhookBatch = async (days: number) => {
    const payload = { object: "whatsapp_business_account", entry: [{ changes: [{ value: { messages: [{ text: { body: "hola" } }] } }] }] };
    const event = await db.webhookEvent.create({
      data: { bodySha256: randomUUID(), object: "whatsapp_business_account", payload, itemCount: 1, receivedAt: ago(days) },
    });
    const item = await db.webhookItem.create({
      data: {
        eventId: event.id,
        key: `retention:${randomUUID()}`,
        field: "messages",
        kind: "message",
        payload: { from: contact.phoneE164, text: { body: "hola" }, image: { id: "media-123" } },
        status: "PROCESSED",
        createdAt: ago(days),
      },
    });
    return { event, item };
  };
  const webhook366 = await webhookBatch(366);
  const webhook91 = await webhookBatch(91);
  const webhook89 = await webhookBatch(89);
  const pendingItem = await db.webhookItem.create({
    data: {
      eventId: webhook91.event.id,
      key: `retention:${randomUUID()}`,
      field: "messages",
      kind: "message",
      payload: { from: contact.phoneE164 },
      status: "PENDING",
      createdAt: ago(91),
    },
  });

  const outboxRow = (days: number, dispatched: boolean) =>
    db.jobOutbox.create({
      data: {
        id: `retention-test:${randomUUID()}`,
        name: "cron:data-retention",
        data: {},
        createdAt: ago(days),
        dispatchedAt: dispatched ? ago(days) : null,
      },
    });
  const oldDispatched = await outboxRow(31, true);
  const recentDispatched = await outboxRow(29, true);
  const oldUndispatched = await outboxRow(45, false);

  return {
    tenant,
    contact,
    consent,
    messages: { old, recent, ancient },
    statuses: { ancientStatus, keptStatus, recentStatus },
    webhooks: { webhook366, webhook91, webhook89, pendingItem },
    outbox: { oldDispatched, recentDispatched, oldUndispatched },
  };
}

async function snapshot(world: Awaited<ReturnType<typeof seedWorld>>) {
  const messageIds = Object.values(world.messages).map((m) => m.id);
  const eventIds = [world.webhooks.webhook366.event.id, world.webhooks.webhook91.event.id, world.webhooks.webhook89.event.id];
  return {
    contact: await db.contact.findUnique({ where: { id: world.contact.id } }),
    consent: await db.consentRecord.findMany({ where: { contactId: world.contact.id } }),
    messages: await db.message.findMany({ where: { id: { in: messageIds } }, orderBy: { createdAt: "asc" } }),
    statuses: await db.messageStatusEvent.findMany({ where: { messageId: { in: messageIds } }, orderBy: { createdAt: "asc" } }),
    events: await db.webhookEvent.findMany({ where: { id: { in: eventIds } }, orderBy: { receivedAt: "asc" } }),
    items: await db.webhookItem.findMany({ where: { eventId: { in: eventIds } }, orderBy: { createdAt: "asc" } }),
    outbox: await db.jobOutbox.findMany({ where: { id: { in: Object.values(world.outbox).map((r) => r.id) } }, orderBy: { id: "asc" } }),
  };
}

describe("retention (moved clock)", () => {
  it("clears 91-day-old content, keeps 89-day-old content, deletes year-old logs, keeps consent; a second run changes nothing", async () => {
    const now = new Date();
    const world = await seedWorld(now);
    const auditBefore = await db.auditLog.count({ where: { action: "retention.purged" } });

    // small batches, so the test also goes through more than one batch per step
    const counts = await runRetention({ db, now, periods: defaultRetentionPeriods, batchSize: 1 });

    const old = await db.message.findUniqueOrThrow({ where: { id: world.messages.old.id } });
    expect(old).toMatchObject({ body: null, parameters: [], templateName: "order_ready", status: "DELIVERED" });
    const recent = await db.message.findUniqueOrThrow({ where: { id: world.messages.recent.id } });
    expect(recent).toMatchObject({ body: "Your order is ready (89 days ago)", parameters: ["Ana", "order 89"] });
    // the message itself stays (without its words); only its status history goes after a year
    expect(await db.message.findUniqueOrThrow({ where: { id: world.messages.ancient.id } })).toMatchObject({ body: null, parameters: [] });

    expect(await db.messageStatusEvent.findUnique({ where: { id: world.statuses.ancientStatus.id } })).toBeNull();
    expect(await db.messageStatusEvent.findUnique({ where: { id: world.statuses.keptStatus.id } })).not.toBeNull();
    expect(await db.messageStatusEvent.findUnique({ where: { id: world.statuses.recentStatus.id } })).not.toBeNull();

    const { webhook366, webhook91, webhook89, pendingItem } = world.webhooks;
    expect(await db.webhookItem.findUnique({ where: { id: webhook366.item.id } })).toBeNull();
    expect(await db.webhookEvent.findUnique({ where: { id: webhook366.event.id } })).toBeNull();
    expect((await db.webhookItem.findUniqueOrThrow({ where: { id: webhook91.item.id } })).payload).toEqual({});
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: webhook91.event.id } })).payload).toEqual({});
    expect((await db.webhookItem.findUniqueOrThrow({ where: { id: webhook89.item.id } })).payload).toEqual(webhook89.item.payload);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: webhook89.event.id } })).payload).toEqual(webhook89.event.payload);
    // an item not processed yet keeps what its handler needs
    expect((await db.webhookItem.findUniqueOrThrow({ where: { id: pendingItem.id } })).payload).toEqual(pendingItem.payload);

    expect(await db.jobOutbox.findUnique({ where: { id: world.outbox.oldDispatched.id } })).toBeNull();
    expect(await db.jobOutbox.findUnique({ where: { id: world.outbox.recentDispatched.id } })).not.toBeNull();
    expect(await db.jobOutbox.findUnique({ where: { id: world.outbox.oldUndispatched.id } })).not.toBeNull();

    // consent records and the contact are untouched
    expect(await db.consentRecord.findMany({ where: { contactId: world.contact.id } })).toEqual([world.consent]);
    expect(await db.contact.findUniqueOrThrow({ where: { id: world.contact.id } })).toEqual(world.contact);

    // the counts cover at least this world's rows (other test files' rows are recent, so nothing else qualifies)
    expect(counts.messageContentCleared).toBeGreaterThanOrEqual(2);
    expect(counts.messageStatusEventsDeleted).toBeGreaterThanOrEqual(1);
    expect(counts.webhookItemPayloadsCleared).toBeGreaterThanOrEqual(1);
    expect(counts.webhookBatchPayloadsCleared).toBeGreaterThanOrEqual(1);
    expect(counts.webhookItemsDeleted).toBeGreaterThanOrEqual(1);
    expect(counts.webhookBatchesDeleted).toBeGreaterThanOrEqual(1);
    expect(counts.jobOutboxRowsDeleted).toBeGreaterThanOrEqual(1);

    const audits = await db.auditLog.findMany({ where: { action: "retention.purged" }, orderBy: { createdAt: "desc" } });
    expect(audits).toHaveLength(auditBefore + 1);
    expect(audits[0]).toMatchObject({ actorLabel: "system", targetType: "retention", after: counts });

    const afterFirst = await snapshot(world);
    const second = await runRetention({ db, now, periods: defaultRetentionPeriods, batchSize: 1 });
    expect(Object.values(second).every((count) => count === 0)).toBe(true);
    expect(await snapshot(world)).toEqual(afterFirst);
    expect(await db.auditLog.count({ where: { action: "retention.purged" } })).toBe(auditBefore + 1);
  });

  it("runs as the daily job with the periods of the environment", async () => {
    const now = new Date();
    const world = await seedWorld(now);
    const { result } = await new InngestTestEngine({ function: inngestFunctionFor(retentionJob) }).execute();
    expect(result).toMatchObject({ messageContentCleared: expect.any(Number) });
    expect(await db.message.findUniqueOrThrow({ where: { id: world.messages.old.id } })).toMatchObject({ body: null, parameters: [] });
    expect(await db.message.findUniqueOrThrow({ where: { id: world.messages.recent.id } })).toMatchObject({
      body: "Your order is ready (89 days ago)",
    });
    expect(await db.messageStatusEvent.findUnique({ where: { id: world.statuses.ancientStatus.id } })).toBeNull();
    expect(await db.consentRecord.count({ where: { contactId: world.contact.id } })).toBe(1);
  });
});

describe("retention periods (environment)", () => {
  const base = {
    DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/recado",
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: "x".repeat(32),
    META_GRAPH_BASE_URL: "http://127.0.0.1:4010",
    META_GRAPH_API_VERSION: "v25.0",
    META_APP_ID: "1",
    META_APP_SECRET: "s",
    META_MASTER_WABA_ID: "1",
    META_ACCESS_TOKEN: "t",
    META_WEBHOOK_VERIFY_TOKEN: "v",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  };

  it("defaults to 90 days of content, a year of delivery logs and 30 days of dispatched jobs", () => {
    expect(retentionPeriodsFromEnv(parseEnv(base, { production: false }))).toEqual({
      contentDays: 90,
      deliveryLogDays: 365,
      jobOutboxDays: 30,
    });
  });

  it("reads a blank value (copied from .env.example) as unset", () => {
    const env = parseEnv({ ...base, RETENTION_CONTENT_DAYS: "", RETENTION_CRON: "" }, { production: false });
    expect(retentionPeriodsFromEnv(env).contentDays).toBe(90);
  });

  it("takes periods from the environment", () => {
    const env = parseEnv(
      { ...base, RETENTION_CONTENT_DAYS: "30", RETENTION_DELIVERY_LOG_DAYS: "180", RETENTION_JOB_OUTBOX_DAYS: "7" },
      { production: false },
    );
    expect(retentionPeriodsFromEnv(env)).toEqual({ contentDays: 30, deliveryLogDays: 180, jobOutboxDays: 7 });
  });

  it("refuses a period that is not a whole number of days, naming the variable", () => {
    expect(() => parseEnv({ ...base, RETENTION_CONTENT_DAYS: "ninety" }, { production: false })).toThrow(
      /RETENTION_CONTENT_DAYS: expected a whole number of days to keep message content, e.g. 90/,
    );
    expect(() => parseEnv({ ...base, RETENTION_DELIVERY_LOG_DAYS: "0" }, { production: false })).toThrow(
      /RETENTION_DELIVERY_LOG_DAYS: expected at least 1 day to keep delivery logs/,
    );
    expect(() => parseEnv({ ...base, RETENTION_CRON: "daily" }, { production: false })).toThrow(
      /RETENTION_CRON: expected a cron expression/,
    );
  });
});
