/**
 * Delivery metrics against their thresholds: real broadcasts sent through a Meta simulator of this file's own over
 * HTTP (some recipients not on WhatsApp), judged when they finish and again by the periodic job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { createBroadcast, startBroadcast } from "@/server/broadcasts/lifecycle";
import { planBroadcastChunks, sendBroadcastChunk } from "@/server/broadcasts/sending";
import { broadcastRates, evaluateAllThresholds } from "@/server/monitoring/delivery-rates";
import { getThresholds, updateThreshold } from "@/server/monitoring/thresholds";
import { testDb } from "@/test/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";
import { createSendingTenant } from "@/test/messaging-world";

const sim = createMetaSimulator({
  appSecret: "s",
  statusDelaysMs: { sent: null, delivered: null, read: null },
  undeliverableMode: "sync",
  pairRateLimit: false,
  seed: 16,
});
let simUrl = "";
beforeAll(async () => {
  simUrl = (await sim.listen(0)).url;
  process.env.META_GRAPH_BASE_URL = simUrl;
});
afterAll(() => sim.close());

let phoneSeq = 0;

/** A finished broadcast to `count` contacts, `failing` of them not on WhatsApp (spread out, never the whole first batch). */
async function finishedBroadcast(count: number, failing: number) {
  phoneSeq += 1;
  const db = testDb();
  const world = await createSendingTenant(db, simUrl);
  const phones = Array.from({ length: count }, (_, i) => `+3463${String(phoneSeq * 1000 + i).padStart(7, "0")}`);
  await db.contact.createMany({
    data: phones.map((phoneE164, i) => ({ tenantId: world.tenant.id, phoneE164, name: `C${i}`, optedIn: true })),
  });
  const step = Math.floor(count / failing);
  const notOnWhatsApp = phones.filter((_, i) => i % step === step - 1).slice(0, failing);
  await fetch(`${simUrl}/__sim/recipients`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ waIds: notOnWhatsApp, onWhatsApp: false }),
  });
  const broadcast = await createBroadcast({
    db,
    tenantId: world.tenant.id,
    userId: null,
    input: {
      name: `Oferta ${phoneSeq}`,
      templateName: "po_notification",
      parameters: [
        { kind: "field", field: "name" },
        { kind: "fixed", value: "PROMO" },
        { kind: "fixed", value: "20 %" },
      ],
      audience: { kind: "all" },
    },
  });
  await startBroadcast({ db, tenantId: world.tenant.id, broadcastId: broadcast.id });
  for (const chunk of await planBroadcastChunks({ db, broadcastId: broadcast.id })) await sendBroadcastChunk({ db, chunk });
  expect((await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).status).toBe("COMPLETED");
  return { ...world, broadcastId: broadcast.id };
}

const deliveryAlerts = (broadcastId: string) =>
  testDb().alert.findMany({ where: { kind: "metric_delivery_rate", details: { path: ["broadcastId"], equals: broadcastId } } });

describe("delivery-rate threshold", () => {
  it("a broadcast with 20% failures raises exactly one delivery-rate alert, naming what to do", async () => {
    const { broadcastId, tenant, number } = await finishedBroadcast(25, 5);
    const [rates] = await broadcastRates(testDb(), { broadcastId });
    expect(rates).toMatchObject({ sent: 25, failed: 5 });

    // judged when it finished; the periodic job judging it again bumps the same alert
    await evaluateAllThresholds({ db: testDb() });
    const alerts = await deliveryAlerts(broadcastId);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert!.occurrences).toBe(2);
    expect(alert!.tenantId).toBe(tenant.id);
    expect(alert!.title).toContain(tenant.name);
    expect(alert!.title).toContain(number.displayPhoneNumber);
    expect(alert!.title).toContain("delivery rate 80%, below the 90% threshold");
    expect(alert!.message).toContain("over 25 messages");
    expect(alert!.message).toContain("131026");
    expect(alert!.details).toMatchObject({ metric: "delivery_rate", figure: 0.8, threshold: 0.9, sample: 25, broadcastId });
    // nothing else about this broadcast crossed a threshold
    expect(await testDb().alert.count({ where: { details: { path: ["broadcastId"], equals: broadcastId } } })).toBe(1);
  });

  it("below the minimum sample, the same failure share raises none", async () => {
    const { minSample } = (await getThresholds({ db: testDb() })).delivery_rate;
    const { broadcastId } = await finishedBroadcast(minSample - 5, 3);
    await evaluateAllThresholds({ db: testDb() });
    expect(await deliveryAlerts(broadcastId)).toHaveLength(0);
  });
});

describe("30 days of rates", () => {
  it("an owner's series counts their bakery's sends only, day by day, with the thresholds to draw", async () => {
    const { owner } = await finishedBroadcast(25, 5);
    const mine = await callerAs(testDb(), owner).bakery.deliveryRates();
    expect(mine.days).toHaveLength(30);
    expect(mine.days.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), sent: 25, failed: 5, deliveryRate: 0.8 });
    expect(mine.days.slice(0, -1).every((d) => d.sent === 0 && d.deliveryRate === null)).toBe(true);
    expect(mine.thresholds.delivery_rate).toMatchObject({ threshold: 0.9, direction: "below" });

    const other = await createTenantWithOwner(testDb());
    const theirs = await callerAs(testDb(), other.owner).bakery.deliveryRates();
    expect(theirs.days.at(-1)).toMatchObject({ sent: 0, deliveryRate: null });
  });
});

describe("a broadcast's own rates", () => {
  it("shows its owner the delivery, read and opt-out rates against the thresholds; another bakery's owner gets NOT_FOUND", async () => {
    const { owner, broadcastId } = await finishedBroadcast(25, 5);
    const mine = await callerAs(testDb(), owner).broadcasts.rates({ broadcastId });
    expect(mine.broadcastId).toBe(broadcastId);
    expect(mine.rates.find((r) => r.metric === "delivery_rate")).toMatchObject({
      value: 0.8,
      hits: 20,
      sample: 25,
      threshold: 0.9,
      direction: "below",
      crossed: true,
    });
    expect(mine.rates.find((r) => r.metric === "opt_out_rate")).toMatchObject({ value: 0, sample: 25, crossed: false });

    const other = await createTenantWithOwner(testDb());
    await expect(callerAs(testDb(), other.owner).broadcasts.rates({ broadcastId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("changing a threshold", () => {
  it("is audited with before and after, and refuses a share outside 0..1 naming the field", async () => {
    const db = testDb();
    const admin = await createAdmin(db);
    const actor = { userId: admin.id, label: admin.email };
    await expect(updateThreshold({ db, actor, change: { metric: "read_rate", threshold: 50, minSample: 20 } })).rejects.toThrow(
      /threshold: expected a share between 0 and 1/,
    );
    const updated = await updateThreshold({ db, actor, change: { metric: "read_rate", threshold: 0.4, minSample: 30 } });
    expect(updated).toMatchObject({ metric: "read_rate", threshold: 0.4, minSample: 30, isDefault: false });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "metrics.threshold_changed", actorUserId: admin.id } });
    expect(entry).toMatchObject({
      targetId: "read_rate",
      before: { threshold: 0.5, minSample: 20 },
      after: { threshold: 0.4, minSample: 30 },
    });
    // back to the default: other files share this database
    await updateThreshold({ db, actor, change: { metric: "read_rate", threshold: 0.5, minSample: 20 } });
  });
});
