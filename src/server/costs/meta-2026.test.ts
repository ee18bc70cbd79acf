/**
 * Recado on Meta's 2025–2026 platform, each behaviour against a simulator of this file's own whose webhooks reach
 * Recado's real webhook pipeline (signature check, storage, processing) before the simulator counts them delivered:
 * username users known by BSUID, per-message pricing and the cost ledger, 131049 retried once after 24 h, marketing
 * preferences, spend caps, the fair share of the shared account's limit, the quality guard, 131057, template
 * category/quality updates, CSV with user_id.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { simulatorControl, type SimulatorControl } from "@/meta-simulator/control-client";
import { acknowledgeAlert } from "@/server/alerts/alerts";
import { createBroadcast, estimateBroadcastCost, pauseBroadcast, resumeBroadcast, startBroadcast } from "@/server/broadcasts/lifecycle";
import { broadcastProgress, summaryOf } from "@/server/broadcasts/progress";
import { planBroadcastChunks, sendBroadcastChunk } from "@/server/broadcasts/sending";
import { bsuidPlaceholder } from "@/server/contacts/bsuid";
import { exportContactsCsv, importContactsCsv } from "@/server/contacts/import";
import { bakeryMonthCost, broadcastCost, messageCost, setRate } from "@/server/costs/ledger";
import { evaluateQualityGuard } from "@/server/costs/quality-guard";
import { setTenantCostSettings } from "@/server/costs/settings";
import { portfolioLimitOf, shareLeftToday, splitShares } from "@/server/costs/share";
import { AppError } from "@/server/errors";
import { checkNumberHealth } from "@/server/health/health";
import { runMarketingRetries } from "@/server/messaging/marketing-retry";
import { sendMessage } from "@/server/messaging/send";
import { syncTemplates } from "@/server/templates/templates";
import { processWebhookItems } from "@/server/webhooks/process";
import { receiveWebhook } from "@/server/webhooks/receive";
import { webhookHandlers } from "@/server/wiring";
import { testDb } from "@/test/db";
import { createTenantWithOwner } from "@/test/fixtures";
import { createSendingTenant, uniquePhone } from "@/test/messaging-world";

const appSecret = "meta-2026-secret";
const admin = { userId: null, label: "admin@test" };
const day = 24 * 60 * 60 * 1000;
let receiver: Server;
const sim = createMetaSimulator({ appSecret, statusDelaysMs: { sent: 1, delivered: 1, read: null }, pairRateLimit: false, seed: 17 });
let control: SimulatorControl;

beforeAll(async () => {
  // Recado's webhook route in miniature: verify, store, process, then answer (so an idle simulator means applied)
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const result = await receiveWebhook({
        db: testDb(),
        rawBody: Buffer.concat(chunks),
        signatureHeader: req.headers["x-hub-signature-256"] as string,
        appSecret,
        source: { ip: null, userAgent: null },
      });
      if (result.httpStatus === 200 && "eventId" in result && result.eventId)
        await processWebhookItems({ db: testDb(), handlers: webhookHandlers, eventId: result.eventId });
      res.writeHead(result.httpStatus).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const simUrl = (await sim.listen(0)).url;
  process.env.META_GRAPH_BASE_URL = simUrl; // the app's Graph client talks to this file's simulator
  control = simulatorControl(simUrl);
  await control.configure({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
  await control.createTemplate({
    name: "weekend_offer",
    language: "es",
    category: "MARKETING",
    bodyText: "Este finde, 2x1 en croissants.",
  });
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
  // other files share this database: the shares set here and the numbers added to the shared account go
  await testDb().tenantCostSettings.deleteMany({});
  await testDb().phoneNumber.deleteMany({ where: { metaPhoneNumberId: { startsWith: "97" } } });
});
beforeEach(() => control.clearFaults());

/** Every scheduled status and webhook has been delivered to, and processed by, Recado. */
const settled = () => sim.whenIdle();

async function bakery() {
  const world = await createSendingTenant(testDb(), sim.url);
  await syncTemplates({ db: testDb(), businessAccountId: world.account.id });
  return world;
}

/** A contact who just wrote to the bakery's number (the simulator opens the 24-hour window too). */
async function chattyContact(world: { tenant: { id: string }; number: { metaPhoneNumberId: string } }) {
  const phone = uniquePhone();
  await control.inbound(world.number.metaPhoneNumberId, { from: phone.slice(1), text: "Hola" });
  await settled();
  const found = await testDb().contact.findFirstOrThrow({ where: { tenantId: world.tenant.id, phoneE164: phone } });
  return testDb().contact.update({ where: { id: found.id }, data: { optedIn: true, optedInAt: new Date() } });
}

async function contact(tenantId: string, overrides: { phoneE164?: string; lastInboundAt?: Date; userId?: string } = {}) {
  return testDb().contact.create({ data: { tenantId, phoneE164: uniquePhone(), optedIn: true, optedInAt: new Date(), ...overrides } });
}

const marketing = { kind: "template" as const, templateName: "weekend_offer", language: "es", parameters: [] };
const utility = { kind: "template" as const, templateName: "po_notification", language: "es", parameters: ["Ana", "PO-7", "10 €"] };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("contacts known by phone, BSUID or both", () => {
  it("a username-only inbound creates a contact by BSUID; the reply goes to `recipient`; its statuses link to it", async () => {
    const { tenant, number } = await bakery();
    await control.inbound(number.metaPhoneNumberId, { username: "ana.bakes", name: "Ana", text: "¿Tenéis pan sin gluten?" });
    await settled();
    const [known] = await testDb().contact.findMany({ where: { tenantId: tenant.id } });
    expect(known).toMatchObject({ username: "ana.bakes", name: "Ana" });
    expect(known!.userId).toMatch(/^[A-Z]{2}\.\w+$/);
    expect(known!.phoneE164).toBe(bsuidPlaceholder(known!.userId!));
    expect(known!.lastInboundAt).not.toBeNull(); // the 24-hour window is open, as for a phone contact

    // the owner opts the person in (consent works the same), then replies inside the window
    await testDb().contact.update({ where: { id: known!.id }, data: { optedIn: true } });
    const reply = await sendMessage({
      db: testDb(),
      tenantId: tenant.id,
      contactId: known!.id,
      content: { kind: "text", body: "Sí, cada mañana." },
      source: "ui",
    });
    await settled();
    const atMeta = sim.sentMessages().find((m) => m.id === reply.wamid)!;
    expect(atMeta.to).toBe(known!.userId); // addressed by `recipient`, no phone number
    expect(atMeta.userId).toBe(known!.userId);
    const stored = await testDb().message.findUniqueOrThrow({ where: { id: reply.messageId } });
    expect(stored).toMatchObject({ status: "DELIVERED", contactId: known!.id, pricingCategory: "SERVICE", costMicros: 0 });

    // a second message from the same user, now with a phone number, finds the same contact and gives it the number
    await control.inbound(number.metaPhoneNumberId, { username: "ana.bakes", text: "Gracias" });
    await settled();
    expect(await testDb().contact.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("a template to a BSUID-only contact outside the window goes to `recipient`; a phone contact learns its BSUID from the status", async () => {
    const { tenant } = await bakery();
    const user = await control.createUser({ username: "pau.forner", name: "Pau" });
    const byBsuid = await contact(tenant.id, { phoneE164: bsuidPlaceholder(user.userId), userId: user.userId });
    const sent = await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: byBsuid.id, content: utility, source: "ui" });
    const byPhone = await contact(tenant.id);
    await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: byPhone.id, content: utility, source: "ui" });
    await settled();
    expect(sim.sentMessages().find((m) => m.id === sent.wamid)!.to).toBe(user.userId);
    expect((await testDb().message.findUniqueOrThrow({ where: { id: sent.messageId } })).status).toBe("DELIVERED");
    expect((await testDb().contact.findUniqueOrThrow({ where: { id: byPhone.id } })).userId).toMatch(/^ES\./);
  });

  it("CSV import and export carry the phone and the user_id", async () => {
    const { tenant } = await bakery();
    const phone = uniquePhone();
    const csv = `phone,user_id,name,opted_in\n${phone},,Ana,yes\n,US.12345678901234567890,Pau,yes\n,not-a-bsuid,Bad,yes\n,,Nobody,yes`;
    const report = await importContactsCsv({ db: testDb(), tenantId: tenant.id, csv });
    expect(report).toMatchObject({ processed: 4, imported: 2, errors: 2 });
    expect(report.errorDetails[0]).toMatchObject({
      row: 4,
      value: "not-a-bsuid",
      reason: expect.stringContaining("ES.13491208655302741918"),
    });
    const exported = await exportContactsCsv({ db: testDb(), tenantId: tenant.id });
    expect(exported.split(/\r?\n/)[0]).toBe("phone,user_id,username,name,opted_in,marketing_stopped");
    expect(exported).toContain(",US.12345678901234567890,,Pau,yes,no");
    expect(exported).toContain(`"'${phone}",,,Ana,yes,no`); // neutralised for spreadsheets, read back by the import
    // importing the export again changes nothing
    expect(await importContactsCsv({ db: testDb(), tenantId: tenant.id, csv: exported })).toMatchObject({ imported: 0, duplicates: 2 });
  });
});

describe("the cost ledger", () => {
  it("stores every message's pricing from its statuses, and the sums match the rate card", async () => {
    const world = await bakery();
    const { tenant } = world;
    const es = await contact(tenant.id);
    const inWindow = await chattyContact(world);
    const mkt = await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: es.id, content: marketing, source: "ui" });
    const util = await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: es.id, content: utility, source: "ui" });
    const free = await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: inWindow.id, content: utility, source: "ui" });
    await settled();
    // the shipped card (migration 20261202170000): ES marketing 0.0615, ES utility 0.0200 USD
    expect(await messageCost({ db: testDb(), tenantId: tenant.id, messageId: mkt.messageId })).toMatchObject({
      pricingCategory: "MARKETING",
      pricingType: "regular",
      pricingModel: "PMP",
      billable: true,
      recipientCountry: "ES",
      costMicros: 61_500,
      costCurrency: "USD",
    });
    expect((await messageCost({ db: testDb(), tenantId: tenant.id, messageId: util.messageId })).costMicros).toBe(20_000);
    expect(await messageCost({ db: testDb(), tenantId: tenant.id, messageId: free.messageId })).toMatchObject({
      pricingType: "free_customer_service",
      costMicros: 0,
    });
    const month = await bakeryMonthCost({ db: testDb(), tenantId: tenant.id });
    expect(month.total).toMatchObject({ micros: 81_500, currency: "USD", formatted: "0.0815" });
    expect(month.byCategory).toEqual([
      { category: "MARKETING", messages: 1, cost: expect.objectContaining({ micros: 61_500 }) },
      { category: "UTILITY", messages: 2, cost: expect.objectContaining({ micros: 20_000 }) },
    ]);

    // a new dated rate applies to messages sent from its date on; what was priced stays
    await setRate({
      db: testDb(),
      actor: admin,
      input: { category: "MARKETING", country: "ES", currency: "USD", rate: 0.07, validFrom: new Date(Date.now() - 1000) },
    });
    const later = await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: es.id, content: marketing, source: "ui" });
    await settled();
    expect((await messageCost({ db: testDb(), tenantId: tenant.id, messageId: later.messageId })).costMicros).toBe(70_000);
    expect((await messageCost({ db: testDb(), tenantId: tenant.id, messageId: mkt.messageId })).costMicros).toBe(61_500);
    await testDb().rateCard.deleteMany({ where: { source: admin.label } });
  });

  it("estimates a broadcast's cost before it starts, and sums it after; another bakery's messages and broadcasts are not found", async () => {
    const { tenant } = await bakery();
    await contact(tenant.id);
    await contact(tenant.id);
    await contact(tenant.id, { phoneE164: "+33612345678" });
    const input = { name: "Finde", templateName: "weekend_offer", language: "es", parameters: [], audience: { kind: "all" as const } };
    const estimate = await estimateBroadcastCost({ db: testDb(), tenantId: tenant.id, input });
    expect(estimate).toMatchObject({
      recipients: 3,
      billable: 3,
      category: "MARKETING",
      currency: "USD",
      total: "0.27",
      newConversations: 3,
    });
    expect(estimate.byCountry).toEqual([
      { country: "FR", recipients: 1, rate: "0.1432", costMicros: 143_200 },
      { country: "ES", recipients: 2, rate: "0.0615", costMicros: 123_000 },
    ]);
    const draft = await createBroadcast({ db: testDb(), tenantId: tenant.id, userId: null, input });
    await startBroadcast({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id });
    for (const chunk of await planBroadcastChunks({ db: testDb(), broadcastId: draft.id }))
      await sendBroadcastChunk({ db: testDb(), chunk });
    await settled();
    expect((await broadcastCost({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id })).total.micros).toBe(estimate.totalMicros);

    const other = await createTenantWithOwner(testDb());
    const message = await testDb().message.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect((await refusal(messageCost({ db: testDb(), tenantId: other.tenant.id, messageId: message.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(broadcastCost({ db: testDb(), tenantId: other.tenant.id, broadcastId: draft.id }))).code).toBe("NOT_FOUND");
  });

  it("a bakery over its monthly spend cap is refused paid sends with SPEND_CAP_REACHED, and the admin is alerted; free replies still go", async () => {
    const world = await bakery();
    const { tenant } = world;
    const person = await contact(tenant.id);
    await setTenantCostSettings({ db: testDb(), actor: admin, tenantId: tenant.id, input: { monthlySpendCap: 0.05 } });
    await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content: marketing, source: "ui" });
    await settled(); // 0.0615 spent: over the 0.05 cap
    const error = await refusal(sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content: marketing, source: "ui" }));
    expect(error.code).toBe("SPEND_CAP_REACHED");
    expect(error.details).toMatchObject({ spent: "0.06", cap: "0.05" });
    const alert = await testDb().alert.findFirstOrThrow({ where: { kind: "spend_cap_reached", tenantId: tenant.id } });
    expect(alert.message).toContain("0.06");
    const chatty = await chattyContact(world);
    await expect(
      sendMessage({ db: testDb(), tenantId: tenant.id, contactId: chatty.id, content: { kind: "text", body: "¡Hola!" }, source: "ui" }),
    ).resolves.toMatchObject({ status: "ACCEPTED" });
    expect((await bakeryMonthCost({ db: testDb(), tenantId: tenant.id })).capReached).toBe(true);
    const draft = await createBroadcast({
      db: testDb(),
      tenantId: tenant.id,
      userId: null,
      input: { name: "Finde", templateName: "weekend_offer", language: "es", parameters: [], audience: { kind: "all" } },
    });
    expect((await refusal(startBroadcast({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id }))).code).toBe("SPEND_CAP_REACHED");
  });
});

describe("marketing limits", () => {
  it("131049 defers that recipient 24 h and retries once on its own, as its own line of the broadcast summary", async () => {
    const { tenant } = await bakery();
    const person = await contact(tenant.id);
    await control.setMarketingLimited({ from: person.phoneE164.slice(1), limited: true });
    const draft = await createBroadcast({
      db: testDb(),
      tenantId: tenant.id,
      userId: null,
      input: { name: "Finde", templateName: "weekend_offer", language: "es", parameters: [], audience: { kind: "all" } },
    });
    await startBroadcast({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id });
    for (const chunk of await planBroadcastChunks({ db: testDb(), broadcastId: draft.id }))
      await sendBroadcastChunk({ db: testDb(), chunk });
    await settled();
    const retry = await testDb().marketingRetry.findFirstOrThrow({ where: { broadcastId: draft.id } });
    const failedAt = (await testDb().message.findUniqueOrThrow({ where: { id: retry.originalMessageId } })).statusAt;
    expect(retry.notBefore.getTime() - failedAt.getTime()).toBeGreaterThanOrEqual(day);
    const summary = summaryOf(await broadcastProgress({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id }));
    expect(summary.results).toMatchObject({
      failed: 0,
      meta_limited_marketing: { label: "Meta limited marketing to this person today", count: 1, retried: 0 },
    });

    // not before 24 h (the clock moved 23 h: nothing), then once
    expect(await runMarketingRetries({ db: testDb(), now: new Date(failedAt.getTime() + 23 * 60 * 60 * 1000) })).toEqual({
      due: 0,
      sent: 0,
    });
    const before = sim.sentMessages().length;
    const at = new Date(retry.notBefore.getTime() + 60_000);
    expect(await runMarketingRetries({ db: testDb(), now: at })).toEqual({ due: 1, sent: 1 });
    expect(sim.sentMessages().length).toBe(before + 1);
    await settled(); // Meta limits it again: the retry is not retried
    expect(await testDb().marketingRetry.count({ where: { contactId: person.id } })).toBe(1);
    expect(await runMarketingRetries({ db: testDb(), now: new Date(at.getTime() + 2 * day) })).toEqual({ due: 0, sent: 0 });
    expect(
      summaryOf(await broadcastProgress({ db: testDb(), tenantId: tenant.id, broadcastId: draft.id })).results.meta_limited_marketing,
    ).toMatchObject({
      count: 1,
      retried: 1,
      retry_sent: 1,
    });
    await control.setMarketingLimited({ from: person.phoneE164.slice(1), limited: false });
  });

  it("user_preferences stop → marketing refused (MARKETING_OPTED_OUT), utility sent; resume → marketing sent", async () => {
    const { tenant, number } = await bakery();
    const person = await contact(tenant.id);
    const send = (content: typeof marketing | typeof utility) =>
      sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content, source: "ui" });
    await control.setMarketingPreference({ phoneNumberId: number.metaPhoneNumberId, from: person.phoneE164.slice(1), value: "stop" });
    await settled();
    const requests = (await control.requestCounts()).total;
    const refused = await refusal(send(marketing));
    expect(refused.code).toBe("MARKETING_OPTED_OUT");
    expect(refused.message).toContain("asked WhatsApp to stop marketing messages");
    expect((await control.requestCounts()).total).toBe(requests); // never reached Meta
    await expect(send(utility)).resolves.toMatchObject({ status: "ACCEPTED" });

    await control.setMarketingPreference({ phoneNumberId: number.metaPhoneNumberId, from: person.phoneE164.slice(1), value: "resume" });
    await settled();
    const sent = await send(marketing);
    await settled();
    expect((await testDb().message.findUniqueOrThrow({ where: { id: sent.messageId } })).status).toBe("DELIVERED");
  });

  it("a 131050 failure makes the contact refuse marketing too", async () => {
    const { tenant, number } = await bakery();
    const person = await contact(tenant.id);
    // Meta stopped marketing for this user (the webhook got lost): the next marketing send fails with 131050
    await control.setMarketingPreference({ phoneNumberId: number.metaPhoneNumberId, from: person.phoneE164.slice(1), value: "stop" });
    await settled();
    await testDb().contact.update({ where: { id: person.id }, data: { marketingOptedOutAt: null } });
    await sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content: marketing, source: "ui" });
    await settled();
    expect(await testDb().contact.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({
      marketingPreferenceSource: "webhook_131050",
    });
    expect(
      (await refusal(sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content: marketing, source: "ui" }))).code,
    ).toBe("MARKETING_OPTED_OUT");
    await control.setMarketingPreference({ phoneNumberId: number.metaPhoneNumberId, from: person.phoneE164.slice(1), value: "resume" });
    await settled();
  });

  it("template category and quality webhooks change the stored template", async () => {
    const { account } = await bakery();
    await control.createTemplate({ name: "pan_del_dia", language: "es", category: "UTILITY", bodyText: "Hoy hay pan de centeno." });
    await syncTemplates({ db: testDb(), businessAccountId: account.id });
    await control.setTemplateCategory({ name: "pan_del_dia", language: "es", newCategory: "MARKETING" });
    await control.setTemplateQuality({ name: "pan_del_dia", language: "es", newQualityScore: "YELLOW" });
    await settled();
    expect(
      await testDb().messageTemplate.findFirstOrThrow({ where: { name: "pan_del_dia", language: "es", businessAccountId: account.id } }),
    ).toMatchObject({ category: "MARKETING", previousCategory: "UTILITY", qualityScore: "YELLOW", categoryChangedAt: expect.any(Date) });
  });

  it("131057 (throughput upgrade in progress) is not retried within a second: the send answers META_UNAVAILABLE with one call", async () => {
    const { tenant, number } = await bakery();
    const person = await contact(tenant.id);
    await control.startThroughputUpgrade(number.metaPhoneNumberId, 60_000);
    await control.clearRequestCounts();
    const started = Date.now();
    const error = await refusal(sendMessage({ db: testDb(), tenantId: tenant.id, contactId: person.id, content: utility, source: "ui" }));
    expect(error.code).toBe("META_UNAVAILABLE");
    expect(error.metaCode).toBe(131057);
    expect((await control.requestCounts()).byPath[`POST /${number.metaPhoneNumberId}/messages`]).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("a fair share of the shared account's limit", () => {
  it("splits the limit equally by default and keeps the admin's shares", () => {
    expect(portfolioLimitOf(["TIER_250", "TIER_1K", null])).toBe(1000);
    expect(portfolioLimitOf(["TIER_UNLIMITED", "TIER_1K"])).toBeNull();
    expect(portfolioLimitOf([null])).toBeNull();
    const shares = splitShares(1000, [
      { tenantId: "a", explicit: null },
      { tenantId: "b", explicit: 400 },
      { tenantId: "c", explicit: null },
    ]);
    expect([...shares.entries()]).toEqual([
      ["a", 300],
      ["b", 400],
      ["c", 300],
    ]);
  });

  it("a bakery beyond its share is refused with a plain message, while another within its share still sends", async () => {
    const a = await bakery();
    const b = await bakery();
    await setTenantCostSettings({ db: testDb(), actor: admin, tenantId: a.tenant.id, input: { dailyConversationShare: 2 } });
    await setTenantCostSettings({ db: testDb(), actor: admin, tenantId: b.tenant.id, input: { dailyConversationShare: 5 } });
    for (let i = 0; i < 3; i++) await contact(a.tenant.id);
    for (let i = 0; i < 2; i++) await contact(b.tenant.id);
    const input = {
      name: "Finde",
      templateName: "po_notification",
      language: "es",
      parameters: [
        { kind: "fixed" as const, value: "x" },
        { kind: "fixed" as const, value: "y" },
        { kind: "fixed" as const, value: "z" },
      ],
      audience: { kind: "all" as const },
    };

    const draftA = await createBroadcast({ db: testDb(), tenantId: a.tenant.id, userId: null, input });
    const refused = await refusal(startBroadcast({ db: testDb(), tenantId: a.tenant.id, broadcastId: draftA.id }));
    expect(refused.code).toBe("PORTFOLIO_SHARE_EXCEEDED");
    expect(refused.message).toContain("can start 2 more WhatsApp conversations today");
    expect(refused.details).toMatchObject({ share: 2, left_today: 2, needed: 3 });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: draftA.id } })).status).toBe("DRAFT");

    const draftB = await createBroadcast({ db: testDb(), tenantId: b.tenant.id, userId: null, input });
    await startBroadcast({ db: testDb(), tenantId: b.tenant.id, broadcastId: draftB.id });
    for (const chunk of await planBroadcastChunks({ db: testDb(), broadcastId: draftB.id }))
      await sendBroadcastChunk({ db: testDb(), chunk });
    await settled();
    expect((await broadcastProgress({ db: testDb(), tenantId: b.tenant.id, broadcastId: draftB.id })).sent).toBe(2);
    expect(await shareLeftToday({ db: testDb(), tenantId: b.tenant.id })).toMatchObject({
      share: 5,
      used: 2,
      left: 3,
      onSharedAccount: true,
      shareSetByAdmin: true,
    });
    expect(await shareLeftToday({ db: testDb(), tenantId: a.tenant.id })).toMatchObject({ share: 2, used: 0, left: 2 });
  });
});

describe("quality guard", () => {
  it("a quality drop within a day of a bakery's marketing broadcast pauses that bakery's marketing only, until an admin reviews the alert", async () => {
    const a = await bakery();
    const b = await bakery();
    for (const world of [a, b]) {
      await setTenantCostSettings({ db: testDb(), actor: admin, tenantId: world.tenant.id, input: { dailyConversationShare: 1000 } });
      await contact(world.tenant.id);
      await contact(world.tenant.id);
    }
    const offer = { name: "Finde", templateName: "weekend_offer", language: "es", parameters: [], audience: { kind: "all" as const } };
    const running = async (tenantId: string) => {
      const draft = await createBroadcast({ db: testDb(), tenantId, userId: null, input: offer });
      await startBroadcast({ db: testDb(), tenantId, broadcastId: draft.id });
      return draft.id;
    };
    const broadcastA = await running(a.tenant.id);
    const broadcastB = await running(b.tenant.id);
    // A's number drops to YELLOW (read from Meta as the health poll does); B's stays GREEN
    await control.updatePhoneNumber(a.number.metaPhoneNumberId, { qualityRating: "YELLOW" });
    await checkNumberHealth({ db: testDb(), phoneNumberId: a.number.id });
    await checkNumberHealth({ db: testDb(), phoneNumberId: b.number.id });
    expect(await evaluateQualityGuard({ db: testDb() })).toMatchObject({ raised: 1 });

    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: broadcastA } })).status).toBe("PAUSED");
    expect(
      await testDb().auditLog.findFirst({ where: { action: "broadcast.pause", targetId: broadcastA, actorLabel: "system" } }),
    ).toMatchObject({
      after: expect.objectContaining({ reason: "quality_guard" }),
    });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: broadcastB } })).status).toBe("SENDING");
    const alert = await testDb().alert.findFirstOrThrow({ where: { kind: "quality_guard", tenantId: a.tenant.id } });
    expect(alert.details).toMatchObject({
      qualityAfter: "YELLOW",
      broadcasts: [expect.objectContaining({ broadcastId: broadcastA, recipients: 2, optOuts: 0, marketingStops: 0 })],
    });
    expect(await testDb().alert.count({ where: { kind: "quality_guard", tenantId: b.tenant.id } })).toBe(0);

    // A's marketing waits for the review; its utility broadcasts and B's marketing go
    expect((await refusal(resumeBroadcast({ db: testDb(), tenantId: a.tenant.id, broadcastId: broadcastA }))).code).toBe(
      "QUALITY_GUARD_HOLD",
    );
    const another = await createBroadcast({ db: testDb(), tenantId: a.tenant.id, userId: null, input: offer });
    expect((await refusal(startBroadcast({ db: testDb(), tenantId: a.tenant.id, broadcastId: another.id }))).code).toBe(
      "QUALITY_GUARD_HOLD",
    );
    const utilityDraft = await createBroadcast({
      db: testDb(),
      tenantId: a.tenant.id,
      userId: null,
      input: {
        ...offer,
        templateName: "po_notification",
        parameters: [
          { kind: "fixed", value: "x" },
          { kind: "fixed", value: "y" },
          { kind: "fixed", value: "z" },
        ],
      },
    });
    await expect(startBroadcast({ db: testDb(), tenantId: a.tenant.id, broadcastId: utilityDraft.id })).resolves.toMatchObject({
      status: "SENDING",
    });
    await pauseBroadcast({ db: testDb(), tenantId: b.tenant.id, broadcastId: broadcastB });
    await resumeBroadcast({ db: testDb(), tenantId: b.tenant.id, broadcastId: broadcastB });

    // the admin reviews it: A's marketing may go again, and the same drop does not pause it twice
    const reviewer = await testDb().user.create({
      data: { email: `reviewer-${Date.now()}@recado.test`, name: "R", passwordHash: "x", role: "PLATFORM_ADMIN" },
    });
    await acknowledgeAlert({ db: testDb(), alertId: alert.id, actor: { userId: reviewer.id, label: reviewer.email } });
    await resumeBroadcast({ db: testDb(), tenantId: a.tenant.id, broadcastId: broadcastA });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: broadcastA } })).status).toBe("SENDING");
    expect(await evaluateQualityGuard({ db: testDb() })).toMatchObject({ raised: 0 });
  });
});
