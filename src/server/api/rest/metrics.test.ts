/**
 * `GET /api/metrics` against real Postgres (a database of this file's own, so every figure is the seeded world's):
 * the admin token is required, the answer is Prometheus' text format and each family holds the right numbers.
 */
import type { WebhookItemStatus } from "@/generated/prisma/enums";
import { beforeAll, describe, expect, it } from "vitest";
import { metricsRest } from "@/server/api/rest/metrics";
import { createMetricsRegistry } from "@/server/monitoring/metrics";
import { startPacedRun } from "@/server/throughput/paced-run";
import { pauseNumberSending } from "@/server/throughput/pacing";
import { pacingTally } from "@/server/throughput/pacing-tally";
import { GraphApiError } from "@/server/whatsapp";
import { createTenantWithOwner } from "@/test/fixtures";
import { useOwnDatabase } from "@/test/own-database";

const ownDb = useOwnDatabase("recado_test_metrics");
const adminApiToken = "metrics-admin-token-0123456789abcdef";
const url = "http://localhost/api/metrics";
const ctx = () => ({ db: ownDb(), session: null, adminApiToken });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

async function scrape() {
  const response = await metricsRest(new Request(url, { headers: { authorization: `Bearer ${adminApiToken}` } }), ctx(), metrics);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The value of one sample line, e.g. `recado_numbers_paused_by_meta 1`; undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const metrics = createMetricsRegistry();
let numberId: string;

beforeAll(async () => {
  const db = ownDb();
  const account = await db.businessAccount.create({ data: { wabaId: "555000000000001", name: "Shared", kind: "MASTER" } });
  const number = await db.phoneNumber.create({
    data: { metaPhoneNumberId: "555000000000101", businessAccountId: account.id, displayPhoneNumber: "+34 600 555 101" },
  });
  numberId = number.id;
  await pauseNumberSending({ db, phoneNumberId: number.id, forMs: 60_000, reason: "Meta answered 130429" });
  const { tenant } = await createTenantWithOwner(db);
  const contact = await db.contact.create({ data: { tenantId: tenant.id, phoneE164: "+34612000002", optedIn: true } });
  const base = { tenantId: tenant.id, contactId: contact.id, direction: "OUTBOUND" as const, type: "template", body: null };
  await db.message.createMany({
    data: [
      { ...base, source: "broadcast", status: "DELIVERED" },
      { ...base, source: "broadcast", status: "DELIVERED" },
      { ...base, source: "broadcast", status: "READ" },
      { ...base, source: "broadcast", status: "FAILED", errorCode: 131026, appErrorCode: "RECIPIENT_NOT_ON_WHATSAPP" },
      { ...base, source: "api", status: "FAILED", errorCode: 131026, appErrorCode: "RECIPIENT_NOT_ON_WHATSAPP" },
      { ...base, source: "api", status: "FAILED", errorCode: null, appErrorCode: "CONSENT_REQUIRED" },
      // older than the window
      { ...base, source: "api", status: "FAILED", errorCode: 131026, createdAt: hoursAgo(30), statusAt: hoursAgo(30) },
      { ...base, direction: "INBOUND", source: "webhook", status: "RECEIVED", type: "text", body: "hola" },
    ],
  });
  const delivered = await db.message.findFirstOrThrow({ where: { status: "READ" } });
  await db.messageStatusEvent.createMany({
    data: [
      { messageId: delivered.id, status: "SENT", occurredAt: hoursAgo(1) },
      { messageId: delivered.id, status: "DELIVERED", occurredAt: hoursAgo(1) },
      { messageId: delivered.id, status: "READ", occurredAt: hoursAgo(0.5) },
    ],
  });
  const event = await db.webhookEvent.create({
    data: { bodySha256: "metrics-test", object: "whatsapp_business_account", payload: {}, itemCount: 5 },
  });
  const items: { key: string; field: string; status: WebhookItemStatus; createdAt?: Date }[] = [
    { key: "m-1", field: "messages", status: "PROCESSED" },
    { key: "m-2", field: "messages", status: "PENDING", createdAt: hoursAgo(0.5) },
    { key: "m-3", field: "messages", status: "QUARANTINED" },
    { key: "t-1", field: "message_template_status_update", status: "FAILED" },
    { key: "old", field: "messages", status: "PROCESSED", createdAt: hoursAgo(30) },
  ];
  await db.webhookItem.createMany({ data: items.map((item) => ({ ...item, eventId: event.id, kind: "status", payload: {} })) });
  await db.jobOutbox.createMany({
    data: [
      { id: "j1", name: "broadcast/send.chunk", data: {}, createdAt: hoursAgo(1) },
      { id: "j2", name: "broadcast/send.chunk", data: {}, attempts: 1 },
      { id: "j3", name: "templates/sync", data: {} },
      { id: "j4", name: "templates/sync", data: {}, dispatchedAt: new Date() },
    ],
  });
});

describe("GET /api/metrics", () => {
  it("refuses a scrape without the admin token", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const response = await metricsRest(new Request(url, { headers }), ctx(), metrics);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("recado_");
    }
  });

  it("answers every family from the database", async () => {
    const text = await scrape();
    expect(text).toContain("# TYPE recado_outbound_messages_last_24h gauge");
    expect(sample(text, 'recado_outbound_messages_last_24h{status="DELIVERED",source="broadcast"}')).toBe(2);
    expect(sample(text, 'recado_outbound_messages_last_24h{status="FAILED",source="broadcast"}')).toBe(1);
    expect(sample(text, 'recado_outbound_messages_last_24h{status="FAILED",source="api"}')).toBe(2);
    expect(sample(text, 'recado_message_statuses_last_24h{status="READ"}')).toBe(1);
    expect(sample(text, 'recado_send_refusals_last_24h{meta_code="131026",recado_code="RECIPIENT_NOT_ON_WHATSAPP"}')).toBe(2);
    expect(sample(text, 'recado_send_refusals_last_24h{meta_code="none",recado_code="CONSENT_REQUIRED"}')).toBe(1);
    expect(sample(text, 'recado_webhook_items_received_last_24h{field="messages"}')).toBe(3);
    expect(sample(text, 'recado_webhook_items_received_last_24h{field="message_template_status_update"}')).toBe(1);
    expect(sample(text, 'recado_webhook_items_waiting{status="PENDING"}')).toBe(1);
    expect(sample(text, 'recado_webhook_items_waiting{status="FAILED"}')).toBe(1);
    expect(sample(text, 'recado_webhook_items_waiting{status="QUARANTINED"}')).toBe(1);
    expect(sample(text, 'recado_webhook_items_waiting{status="PROCESSING"}')).toBe(0);
    expect(sample(text, "recado_webhook_oldest_waiting_seconds")).toBeGreaterThan(1700);
    expect(sample(text, 'recado_job_outbox_waiting{event="broadcast/send.chunk"}')).toBe(2);
    expect(sample(text, 'recado_job_outbox_waiting{event="templates/sync"}')).toBe(1);
    expect(sample(text, 'recado_job_outbox_retrying{event="broadcast/send.chunk"}')).toBe(1);
    expect(sample(text, "recado_job_outbox_oldest_waiting_seconds")).toBeGreaterThan(3500);
    expect(sample(text, "recado_numbers_paused_by_meta")).toBe(1);
  });

  it("counts this process's pacing waits and deferrals", async () => {
    const before = { ...pacingTally, deferrals: { ...pacingTally.deferrals } };
    const db = ownDb();
    await db.sendPacing.update({ where: { phoneNumberId: numberId }, data: { pausedUntil: null, nextSlotAtMs: 0 } });
    // ten sends through one number, one after the other: each waits ~13 ms for its slot (80/s less headroom)
    const run = await startPacedRun({ db, phoneNumberId: numberId, throughputLevel: "STANDARD", count: 10 });
    const turns = await Promise.all(Array.from({ length: 10 }, (_, i) => run.turn(i)));
    for (const turn of turns) (await turn.slot()).answered();
    const pairRate = new GraphApiError({ operation: "POST /messages", attempts: 1, outcome: "rejected", httpStatus: 400, code: 131056 });
    expect(await turns[0]!.deferral(pairRate, 1)).toMatchObject({ reason: "pair_rate" });
    for (const turn of turns) turn.end();

    const text = await scrape();
    expect(sample(text, "recado_pacing_waits_total")).toBeGreaterThanOrEqual(before.slotWaits + 5);
    expect(sample(text, "recado_pacing_wait_seconds_total")).toBeGreaterThan(before.slotWaitMs / 1000);
    expect(sample(text, 'recado_pacing_deferrals_total{reason="pair_rate"}')).toBe(before.deferrals.pair_rate + 1);
    expect(sample(text, "recado_numbers_paused_by_meta")).toBe(0);
  });
});
