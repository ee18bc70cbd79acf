/**
 * `GET /api/health` against real Postgres (a database of this file's own, so the counts are exactly the seeded
 * world's) and the Meta simulator over HTTP.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { RestContext } from "@/server/api/rest/admin-whatsapp";
import { healthRest, type HealthDeps } from "@/server/api/rest/health";
import { createDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { createHealthCache, sharedAccountProbe, type GraphConnectionProbe } from "@/server/monitoring/health-check";
import { pauseNumberSending } from "@/server/throughput/pacing";
import { createAdmin, createTenantWithOwner, sessionFor } from "@/test/fixtures";
import { simMasterWabaId } from "@/test/messaging-world";
import { useOwnDatabase } from "@/test/own-database";
import { databaseUrlFor, uniqueDatabaseName } from "../../../../scripts/lib/database";

const ownDb = useOwnDatabase("recado_test_health");
const adminApiToken = "health-admin-token-0123456789abcdef";
const asAdmin = { authorization: `Bearer ${adminApiToken}` };
const url = "http://localhost/api/health";

function countingProbe(probe: GraphConnectionProbe) {
  const counter = { calls: 0 };
  const counted: GraphConnectionProbe = async () => {
    counter.calls += 1;
    await probe();
  };
  return { counter, probe: counted };
}

const deps = (probe: GraphConnectionProbe = sharedAccountProbe(getEnv())): HealthDeps => ({ cache: createHealthCache(), probe });
const ctx = (overrides: Partial<RestContext> = {}): RestContext => ({ db: ownDb(), session: null, adminApiToken, ...overrides });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

let pausedNumber: { metaPhoneNumberId: string; displayPhoneNumber: string };
let pausedUntil: Date;

beforeAll(async () => {
  const db = ownDb();
  const account = await db.businessAccount.create({ data: { wabaId: simMasterWabaId, name: "Shared", kind: "MASTER" } });
  const [paused] = await Promise.all(
    ["+34 600 000 001", "+34 600 000 002"].map((display, i) =>
      db.phoneNumber.create({
        data: { metaPhoneNumberId: `9100000000000${i}`, businessAccountId: account.id, displayPhoneNumber: display },
      }),
    ),
  );
  pausedNumber = paused!;
  pausedUntil = await pauseNumberSending({ db, phoneNumberId: paused!.id, forMs: 60_000, reason: "Meta answered 130429" });

  const { tenant } = await createTenantWithOwner(db);
  const contact = await db.contact.create({ data: { tenantId: tenant.id, phoneE164: "+34612000001", optedIn: true } });
  const message = (status: "PENDING" | "FAILED" | "DELIVERED" | "RECEIVED", statusAt = new Date()) => ({
    tenantId: tenant.id,
    contactId: contact.id,
    direction: status === "RECEIVED" ? ("INBOUND" as const) : ("OUTBOUND" as const),
    type: "text",
    source: "ui",
    body: "hola",
    status,
    statusAt,
  });
  await db.message.createMany({
    data: [
      message("PENDING"),
      message("PENDING"),
      message("FAILED", hoursAgo(1)),
      message("FAILED", hoursAgo(23)),
      message("FAILED", hoursAgo(23.5)),
      message("FAILED", hoursAgo(30)), // older than 24 h: not counted
      message("DELIVERED"),
      message("RECEIVED"),
    ],
  });
  await db.messageTemplate.createMany({
    data: ["APPROVED", "APPROVED", "APPROVED", "PENDING", "REJECTED", "REJECTED", "PAUSED"].map((status, i) => ({
      businessAccountId: account.id,
      metaTemplateId: `t${i}`,
      name: `template_${i}`,
      language: "es",
      status,
    })),
  });
  await db.jobOutbox.createMany({
    data: [
      { id: "job-waiting", name: "test/waiting", data: {}, createdAt: hoursAgo(2) },
      { id: "job-retrying", name: "test/waiting", data: {}, attempts: 2, lastError: "unreachable" },
      { id: "job-done", name: "test/done", data: {}, dispatchedAt: new Date(), createdAt: hoursAgo(5) },
    ],
  });
  const event = await db.webhookEvent.create({
    data: { bodySha256: "health-test", object: "whatsapp_business_account", payload: {}, itemCount: 5 },
  });
  await db.webhookItem.createMany({
    data: (["PENDING", "PENDING", "FAILED", "QUARANTINED", "PROCESSED"] as const).map((status, i) => ({
      eventId: event.id,
      key: `health-item-${i}`,
      field: "messages",
      kind: "status",
      payload: {},
      status,
      createdAt: hoursAgo(3 - i * 0.1),
    })),
  });
});

describe("GET /api/health", () => {
  it("answers anyone with nothing but the status", async () => {
    const response = await healthRest(new Request(url), ctx(), deps());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "healthy" });
  });

  it("answers an owner's session as anyone", async () => {
    const { owner } = await createTenantWithOwner(ownDb());
    const response = await healthRest(new Request(url), ctx({ session: sessionFor(owner) }), deps());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "healthy" });
  });

  it("refuses a wrong admin token instead of answering as to anyone", async () => {
    const response = await healthRest(new Request(url, { headers: { authorization: "Bearer wrong" } }), ctx(), deps());
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).not.toContain("checks");
  });

  it("gives the admin token every check, with the seeded world's figures", async () => {
    const response = await healthRest(new Request(url, { headers: asAdmin }), ctx(), deps());
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      status: "degraded", // a number is paused and an item is in quarantine
      checks: {
        connection: { ok: true, checked_at: expect.any(String), accounts_with_invalid_token: 0 },
        rate_limit: {
          paused_numbers: 1,
          numbers: [
            {
              phone_number_id: pausedNumber.metaPhoneNumberId,
              display_phone_number: pausedNumber.displayPhoneNumber,
              paused_until: pausedUntil.toISOString(),
              reason: "Meta answered 130429",
            },
          ],
        },
        pending_messages: 2,
        failed_messages_24h: 3,
        templates: { approved: 3, pending: 1, rejected: 2 },
        job_outbox: { waiting: 2, failing: 1, oldest_waiting_at: expect.any(String) },
        webhooks: { backlog: 3, failing: 1, quarantined: 1, oldest_waiting_at: expect.any(String) },
      },
    });
    expect(new Date(body.checks.job_outbox.oldest_waiting_at).getTime()).toBeLessThan(hoursAgo(1.9).getTime());
    expect(new Date(body.checks.webhooks.oldest_waiting_at).getTime()).toBeLessThan(hoursAgo(2.9).getTime());
  });

  it("gives an admin's session the same checks", async () => {
    const admin = await createAdmin(ownDb());
    const response = await healthRest(new Request(url), ctx({ session: sessionFor(admin) }), deps());
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()).checks).sort()).toEqual(
      ["connection", "failed_messages_24h", "job_outbox", "pending_messages", "rate_limit", "templates", "webhooks"].sort(),
    );
  });

  it("reports a token Meta refuses as a failed connection", async () => {
    const probe = sharedAccountProbe({ ...getEnv(), META_ACCESS_TOKEN: "not-a-valid-token" });
    const response = await healthRest(new Request(url, { headers: asAdmin }), ctx(), deps(probe));
    const body = await response.json();
    expect(body.status).toBe("degraded");
    expect(body.checks.connection).toMatchObject({ ok: false, error: expect.stringContaining("error 190") });
    expect(JSON.stringify(body)).not.toContain("not-a-valid-token");
  });

  it("asks Meta once per 30 s and answers warm requests within 50 ms", async () => {
    const { counter, probe } = countingProbe(sharedAccountProbe(getEnv()));
    const shared = deps(probe);
    await healthRest(new Request(url, { headers: asAdmin }), ctx(), shared);
    const startedAt = performance.now();
    const response = await healthRest(new Request(url, { headers: asAdmin }), ctx(), shared);
    const elapsedMs = performance.now() - startedAt;
    expect(response.status).toBe(200);
    expect(counter.calls).toBe(1);
    expect(elapsedMs).toBeLessThan(50);
  });

  it("answers 503 with nothing but the status when the database does not answer", async () => {
    const missing = createDb(databaseUrlFor(inject("databaseServerUrl"), uniqueDatabaseName("recado_test_absent")), 1);
    for (const headers of [{}, asAdmin]) {
      const response = await healthRest(new Request(url, { headers }), ctx({ db: missing }), deps());
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unhealthy" });
    }
    await missing.$disconnect();
  });
});
