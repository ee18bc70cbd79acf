/**
 * Delivery metrics against their thresholds: real broadcasts sent through a Meta simulator of this file's own over
 * HTTP (some recipients not on WhatsApp), judged when they finish and again by the periodic job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { createBroadcast, startBroadcast } from "@/server/broadcasts/lifecycle";
import { planBroadcastChunks, sendBroadcastChunk } from "@/server/broadcasts/sending";
import type { Db } from "@/server/db";
import { broadcastRates, crossing, dailyRates, evaluateAllThresholds } from "@/server/monitoring/delivery-rates";
import { auditTemplateChange, metaActor } from "@/server/templates/audit";
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

/**
 * Meta's decisions on `count` templates of a bakery, written by the templates' own audit writer (webhook actor), then
 * dated `at` (the writer stamps now; the series reads the entries' dates).
 */
async function decided(db: Db, tenantId: string | null, status: "APPROVED" | "REJECTED", at: Date, count = 1) {
  for (let i = 0; i < count; i += 1) {
    phoneSeq += 1;
    const id = `tpl-${Date.now()}-${phoneSeq}`;
    await auditTemplateChange(db, {
      actor: metaActor("webhook"),
      row: {
        id,
        name: `oferta_${phoneSeq}`,
        tenantName: null,
        language: "es",
        ownerTenantId: tenantId,
        status,
        category: "MARKETING",
        rejectedReason: status === "REJECTED" ? "INVALID_FORMAT" : null,
      },
      before: { status: "PENDING", category: "MARKETING", rejectedReason: null },
      tenantId,
    });
    await db.auditLog.updateMany({ where: { targetId: id }, data: { createdAt: at } });
  }
}

describe("30 days of template rejections", () => {
  it("counts per day the templates Meta rejected of those it decided on, per bakery and for the platform", async () => {
    const db = testDb();
    const a = await createTenantWithOwner(db);
    const b = await createTenantWithOwner(db);
    // a clock of its own, years ahead: no other file's entries fall in these 30 days
    const now = new Date("2031-03-20T15:00:00Z");
    const at = (day: string, time = "10:00:00") => new Date(`${day}T${time}Z`);
    await decided(db, a.tenant.id, "APPROVED", at("2031-03-17"), 4);
    await decided(db, a.tenant.id, "REJECTED", at("2031-03-17", "23:59:00"));
    await decided(db, a.tenant.id, "APPROVED", at("2031-03-19"), 3);
    await decided(db, a.tenant.id, "REJECTED", at("2031-03-19", "00:00:00"), 2);
    await decided(db, a.tenant.id, "REJECTED", at("2031-03-20", "09:00:00"));
    await decided(db, a.tenant.id, "APPROVED", at("2031-02-19")); // the first of the 30 days
    await decided(db, a.tenant.id, "REJECTED", at("2031-02-18", "23:59:59")); // the day before: not in the series
    await decided(db, b.tenant.id, "REJECTED", at("2031-03-19"), 2);
    await decided(db, null, "APPROVED", at("2031-03-19")); // a platform template: the platform's series only
    // other template changes are not decisions
    await db.auditLog.create({
      data: {
        actorLabel: "Meta (sync)",
        action: "template.category_changed",
        tenantId: a.tenant.id,
        targetType: "template",
        createdAt: at("2031-03-19"),
      },
    });
    await db.auditLog.create({
      data: {
        actorLabel: "Meta (webhook)",
        action: "template.status_changed",
        tenantId: a.tenant.id,
        targetType: "template",
        createdAt: at("2031-03-18"),
      },
    });

    const series = await dailyRates({ db, tenantId: a.tenant.id, now });
    expect(series).toHaveLength(30);
    expect(series[0]!.day).toBe("2031-02-19");
    const byDay = (days: typeof series) =>
      Object.fromEntries(
        days.filter((d) => d.templatesDecided > 0).map((d) => [d.day, [d.templatesRejected, d.templatesDecided, d.templateRejectionRate]]),
      );
    expect(byDay(series)).toEqual({
      "2031-02-19": [0, 1, 0],
      "2031-03-17": [1, 5, 0.2],
      "2031-03-19": [2, 5, 0.4],
      "2031-03-20": [1, 1, 1],
    });
    expect(series.find((d) => d.day === "2031-03-18")).toMatchObject({ templatesDecided: 0, templateRejectionRate: null });

    expect(byDay(await dailyRates({ db, tenantId: b.tenant.id, now }))).toEqual({ "2031-03-19": [2, 2, 1] });
    expect(byDay(await dailyRates({ db, now }))).toEqual({
      "2031-02-19": [0, 1, 0],
      "2031-03-17": [1, 5, 0.2],
      "2031-03-19": [4, 8, 0.5],
      "2031-03-20": [1, 1, 1],
    });

    // against the threshold (above 20%, at least 5 decided): 20% on the 17th is not over it, 40% of 5 on the 19th
    // is, 100% of 1 today is under the minimum sample
    const thresholds = await getThresholds({ db });
    expect(thresholds.template_rejection_rate).toMatchObject({ threshold: 0.2, minSample: 5, direction: "above" });
    const judged = series
      .filter((d) => d.templateRejectionRate !== null)
      .map((d) => [d.day, crossing(thresholds, "template_rejection_rate", d.templatesRejected, d.templatesDecided) !== null]);
    expect(judged).toEqual([
      ["2031-02-19", false],
      ["2031-03-17", false],
      ["2031-03-19", true],
      ["2031-03-20", false],
    ]);
  });

  it("reaches the owner's and the admin's charts through their procedures, the bakery from the session", async () => {
    const db = testDb();
    const mine = await createTenantWithOwner(db);
    const other = await createTenantWithOwner(db);
    const admin = await createAdmin(db);
    await decided(db, mine.tenant.id, "REJECTED", new Date());
    await decided(db, mine.tenant.id, "APPROVED", new Date());
    const owner = await callerAs(db, mine.owner).bakery.deliveryRates();
    expect(owner.days.at(-1)).toMatchObject({ templatesDecided: 2, templatesRejected: 1, templateRejectionRate: 0.5 });
    expect(owner.thresholds.template_rejection_rate).toMatchObject({ threshold: 0.2, minSample: 5, direction: "above" });
    const forAdmin = await callerAs(db, admin).admin.deliveryRates({ tenantId: mine.tenant.id });
    expect(forAdmin.days.at(-1)).toMatchObject({ templatesDecided: 2, templatesRejected: 1 });
    expect((await callerAs(db, other.owner).bakery.deliveryRates()).days.at(-1)).toMatchObject({
      templatesDecided: 0,
      templateRejectionRate: null,
    });
  });
});

describe("a day's read rate", () => {
  it("is not final, so never judged, until the read window has passed after the day ended", async () => {
    const now = new Date("2031-03-20T15:00:00Z");
    const series = await dailyRates({ db: testDb(), now });
    expect(series.slice(-3).map((d) => [d.day, d.readJudged])).toEqual([
      ["2031-03-18", true],
      ["2031-03-19", false],
      ["2031-03-20", false],
    ]);
    // the day before yesterday becomes final at midnight plus the window: 2031-03-20T00:00 for the 18th
    const atMidnight = await dailyRates({ db: testDb(), now: new Date("2031-03-20T00:00:00Z") });
    expect(atMidnight.find((d) => d.day === "2031-03-18")!.readJudged).toBe(true);
    const justBefore = await dailyRates({ db: testDb(), now: new Date("2031-03-19T23:59:59Z") });
    expect(justBefore.find((d) => d.day === "2031-03-18")!.readJudged).toBe(false);
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
