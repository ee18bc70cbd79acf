import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "@/meta-simulator/test-receiver";
import { graphClientForAccount } from "@/server/accounts/graph";
import { checkNumberHealth } from "@/server/health/health";
import { processWebhookItems } from "@/server/webhooks/process";
import { webhookHandlers } from "@/server/wiring";
import { receiveWebhook } from "@/server/webhooks/receive";
import { testDb } from "@/test/db";
import { createSimNumber, freshCustomerAccount, sharedSimulator } from "@/test/health-fixtures";
import { InngestTestEngine } from "@inngest/test";
import { numberHealthCheckJob } from "@/server/health/jobs";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { jobEvents } from "@/server/jobs/events";

const db = testDb();
const control = sharedSimulator();
let account: Awaited<ReturnType<typeof freshCustomerAccount>>;

beforeEach(async () => {
  await control.reset();
  account = await freshCustomerAccount(db);
});
afterAll(async () => {
  await control.reset();
  await db.businessAccount.deleteMany({ where: { wabaId: "109876543210987" } });
});

const timeline = (phoneNumberId: string) => db.phoneNumberHealthEvent.findMany({ where: { phoneNumberId }, orderBy: { createdAt: "asc" } });

describe("health checks against the simulator", () => {
  it("stores every documented field, keeps each change on the timeline and derives the onboarding state", async () => {
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
      qualityRating: "GREEN",
      status: "CONNECTED",
    });
    const first = await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(first.ok).toBe(true);
    expect(first.decision).toEqual({ action: "skip", reason: "provisioned" });
    const stored = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(stored).toMatchObject({
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      platformType: "CLOUD_API",
      throughputLevel: "STANDARD",
      qualityRating: "GREEN",
      status: "CONNECTED",
      healthStatus: "AVAILABLE",
      onboardingState: "CONNECTED",
    });
    expect(stored.messagingLimit).toBeTruthy();
    expect(stored.healthDetails).toMatchObject({ canSendMessage: "AVAILABLE" });
    expect(stored.lastHealthCheckAt).not.toBeNull();

    // Nothing changed: no new timeline entries.
    const before = (await timeline(number.id)).length;
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(await timeline(number.id)).toHaveLength(before);

    // Quality drops to RED and the number is flagged: two timeline entries and two alerts.
    await control.updatePhoneNumber(number.metaPhoneNumberId, { qualityRating: "RED", status: "FLAGGED" });
    const second = await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(second.ok && second.changed.map((c) => c.field).sort()).toEqual(expect.arrayContaining(["qualityRating", "status"]));
    const events = await timeline(number.id);
    expect([...events].reverse().find((e) => e.field === "qualityRating")).toMatchObject({
      previousValue: "GREEN",
      newValue: "RED",
      source: "poll",
    });
    expect([...events].reverse().find((e) => e.field === "status")).toMatchObject({ previousValue: "CONNECTED", newValue: "FLAGGED" });
    const alerts = await db.alert.findMany({ where: { phoneNumberId: number.id, acknowledgedAt: null } });
    expect(alerts.map((a) => a.kind).sort()).toEqual(["number_status", "quality_dropped"]);
    expect(alerts.find((a) => a.kind === "quality_dropped")).toMatchObject({ severity: "CRITICAL" });

    // A repeat reading does not raise the alerts again.
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(await db.alert.count({ where: { phoneNumberId: number.id } })).toBe(2);
  });

  it("alerts on YELLOW and on BANNED / DISCONNECTED, and a banned number needs attention", async () => {
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
      qualityRating: "GREEN",
    });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    await control.updatePhoneNumber(number.metaPhoneNumberId, { qualityRating: "YELLOW", status: "BANNED" });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    const alerts = await db.alert.findMany({ where: { phoneNumberId: number.id } });
    expect(alerts.find((a) => a.kind === "quality_dropped")).toMatchObject({ severity: "WARNING" });
    expect(alerts.find((a) => a.kind === "number_status")?.title).toContain("BANNED");
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("NEEDS_ATTENTION");
  });

  it("a refused token (190) marks the account, alerts, and is never read as provisioned", async () => {
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
    });
    await control.expireToken(account.token);
    const result = await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(result.ok).toBe(false);
    expect(result.decision.action).toBe("wait");
    const stored = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id }, include: { businessAccount: true } });
    expect(stored.lastHealthCheckError).toContain("re-authorized");
    expect(stored.lastHealthCheckError).not.toContain(account.token);
    expect(stored.businessAccount.tokenInvalidAt).not.toBeNull();
    expect(await db.alert.count({ where: { dedupeKey: "token_invalid:109876543210987", acknowledgedAt: null } })).toBe(1);
    await db.alert.updateMany({
      where: { dedupeKey: "token_invalid:109876543210987" },
      data: { dedupeKey: null, acknowledgedAt: new Date() },
    });
  });
});

describe("health webhooks update the same state (simulator → signed webhook → registry)", () => {
  it("quality update, name decision and account restriction reach the number without a poll", async () => {
    const receiver = await startWebhookReceiver();
    await control.configure({ webhookUrl: receiver.url });
    // The customer account is not subscribed by default (Meta: webhooks/override: nothing is delivered then).
    await graphClientForAccount(account.account).subscribeApp(account.account.wabaId);
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
    });
    await checkNumberHealth({ db, phoneNumberId: number.id });

    const deliverAll = async () => {
      await control.flush();
      for (const hook of receiver.received.splice(0)) {
        const result = await receiveWebhook({
          db,
          rawBody: hook.rawBody,
          signatureHeader: String(hook.headers["x-hub-signature-256"]),
          appSecret: "test-app-secret",
          source: { ip: null, userAgent: null },
        });
        expect(result.httpStatus).toBe(200);
        if ("eventId" in result && result.eventId) await processWebhookItems({ db, handlers: webhookHandlers, eventId: result.eventId });
      }
    };

    await control.qualityUpdate({ phoneNumberId: number.metaPhoneNumberId, event: "THROUGHPUT_UPGRADE" });
    await control.qualityUpdate({ phoneNumberId: number.metaPhoneNumberId, event: "FLAGGED" });
    await control.accountUpdate({ wabaId: account.account.wabaId, phoneNumberId: number.metaPhoneNumberId, event: "ACCOUNT_RESTRICTION" });
    await control.sendBatch({
      payload: {
        object: "whatsapp_business_account",
        entry: [
          {
            id: account.account.wabaId,
            time: 1795401800,
            changes: [
              {
                field: "phone_number_name_update",
                value: {
                  display_phone_number: number.displayPhoneNumber.replace(/\D/g, ""),
                  decision: "REJECTED",
                  requested_verified_name: "Tst",
                  rejection_reason: "NAME_FORMAT_UNACCEPTABLE",
                },
              },
            ],
          },
        ],
      },
    });
    await deliverAll();

    const stored = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(stored).toMatchObject({ throughputLevel: "HIGH", status: "FLAGGED", messagingLimit: "TIER_UNLIMITED", nameStatus: "DECLINED" });
    const events = await timeline(number.id);
    expect(events.filter((e) => e.source === "webhook").map((e) => e.field)).toEqual(
      expect.arrayContaining(["throughputLevel", "status", "accountEvent"]),
    );
    const alerts = await db.alert.findMany({
      where: { acknowledgedAt: null, OR: [{ phoneNumberId: number.id }, { kind: "account_update" }] },
    });
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(["number_status", "account_update", "name_rejected"]));
    await db.alert.updateMany({ where: { kind: "account_update" }, data: { dedupeKey: null, acknowledgedAt: new Date() } });
    await receiver.close();
  });
});

describe("display-name approval webhook", () => {
  it("registers a number waiting for provisioning at once, instead of waiting for the next retry round", async () => {
    const receiver = await startWebhookReceiver();
    await control.configure({ webhookUrl: receiver.url });
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
      pin: "123456",
      nameReview: {},
    });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("PENDING_PROVISIONING");

    // Meta approves the name and says so.
    await control.updatePhoneNumber(number.metaPhoneNumberId, { nameStatus: "APPROVED", nameReview: null });
    await control.sendBatch({
      payload: {
        object: "whatsapp_business_account",
        entry: [
          {
            id: account.account.wabaId,
            time: 1795401900,
            changes: [
              {
                field: "phone_number_name_update",
                value: {
                  display_phone_number: number.displayPhoneNumber.replace(/\D/g, ""),
                  decision: "APPROVED",
                  requested_verified_name: "Test Line",
                  rejection_reason: null,
                },
              },
            ],
          },
        ],
      },
    });
    await control.flush();
    for (const hook of receiver.received.splice(0)) {
      const result = await receiveWebhook({
        db,
        rawBody: hook.rawBody,
        signatureHeader: String(hook.headers["x-hub-signature-256"]),
        appSecret: "test-app-secret",
        source: { ip: null, userAgent: null },
      });
      if ("eventId" in result && result.eventId)
        expect(await processWebhookItems({ db, handlers: webhookHandlers, eventId: result.eventId })).toMatchObject({ processed: 1 });
    }
    await receiver.close();

    expect(await db.registrationAttempt.findMany({ where: { phoneNumberId: number.id } })).toMatchObject([
      { trigger: "name_approved", outcome: "SUCCEEDED" },
    ]);
    expect(await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).toMatchObject({
      onboardingState: "CONNECTED",
      nameStatus: "APPROVED",
      platformType: "CLOUD_API",
    });
  });
});

describe("the owner's health line", () => {
  it("says connected, limited or action needed for the bakery's own number only", async () => {
    const { tenantHealthLine } = await import("@/server/health/tenant-health-line");
    const { createTenantWithOwner } = await import("@/test/fixtures");
    const { tenant } = await createTenantWithOwner(db);
    expect((await tenantHealthLine({ db, tenantId: tenant.id })).level).toBe("none");

    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
      qualityRating: "GREEN",
    });
    await db.whatsAppSettings.update({ where: { tenantId: tenant.id }, data: { phoneNumberId: number.id } });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(await tenantHealthLine({ db, tenantId: tenant.id })).toMatchObject({
      level: "ok",
      text: "Connected",
      number: number.displayPhoneNumber,
    });

    await control.updatePhoneNumber(number.metaPhoneNumberId, { qualityRating: "RED" });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect(await tenantHealthLine({ db, tenantId: tenant.id })).toMatchObject({ level: "limited" });

    await db.phoneNumber.update({ where: { id: number.id }, data: { reauthRequiredAt: new Date() } });
    expect(await tenantHealthLine({ db, tenantId: tenant.id })).toMatchObject({
      level: "action",
      text: "Action needed: reconnect WhatsApp",
    });
  });
});

describe("a quality webhook re-reads the number at once", () => {
  it("DOWNGRADE queues a health check of that number; run, it stores the new rating and raises the alert without Check now", async () => {
    const receiver = await startWebhookReceiver();
    await control.configure({ webhookUrl: receiver.url });
    await graphClientForAccount(account.account).subscribeApp(account.account.wabaId);
    const number = await createSimNumber(db, account.account.id, {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
    });
    await checkNumberHealth({ db, phoneNumberId: number.id });
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).qualityRating).toBe("GREEN");

    // Meta's (older-revision) DOWNGRADE carries no rating: the number's new rating is only in a fresh read
    await control.qualityUpdate({ phoneNumberId: number.metaPhoneNumberId, event: "DOWNGRADE", qualityRating: "RED" });
    await control.flush();
    for (const hook of receiver.received.splice(0)) {
      const result = await receiveWebhook({
        db,
        rawBody: hook.rawBody,
        signatureHeader: String(hook.headers["x-hub-signature-256"]),
        appSecret: "test-app-secret",
        source: { ip: null, userAgent: null },
      });
      if ("eventId" in result && result.eventId) await processWebhookItems({ db, handlers: webhookHandlers, eventId: result.eventId });
    }
    await receiver.close();

    const queued = await db.jobOutbox.findMany({
      where: { name: jobEvents.numberHealthCheck.name, id: { startsWith: "quality-webhook:" } },
    });
    const mine = queued.filter((row) => (row.data as { phoneNumberId?: string }).phoneNumberId === number.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.dispatchedAt).toBeNull();
    expect(mine[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    // the queued check, run as the relay runs it
    const { result } = await new InngestTestEngine({
      function: inngestFunctionFor(numberHealthCheckJob),
      events: [{ name: jobEvents.numberHealthCheck.name, data: mine[0]!.data as { phoneNumberId: string } }],
    }).execute();
    expect(result).toMatchObject({ ok: true });
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).qualityRating).toBe("RED");
    const alert = await db.alert.findFirst({ where: { phoneNumberId: number.id, kind: "quality_dropped", acknowledgedAt: null } });
    expect(alert).toMatchObject({ severity: "CRITICAL" });
    await db.alert.updateMany({ where: { phoneNumberId: number.id }, data: { dedupeKey: null, acknowledgedAt: new Date() } });
  });
});
