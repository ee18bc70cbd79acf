import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "@/meta-simulator/test-receiver";
import { decryptSecret } from "@/server/accounts/secrets";
import { markAccountTokenInvalid } from "@/server/accounts/token-status";
import { isAppError } from "@/server/errors";
import { getGraphClient } from "@/server/accounts/graph";
import { completeEmbeddedSignup, ownAccountStatus } from "@/server/signup/embedded-signup";
import { processWebhookItems } from "@/server/webhooks/process";
import { webhookHandlers } from "@/server/wiring";
import { receiveWebhook } from "@/server/webhooks/receive";
import { testDb } from "@/test/db";
import { createTenantWithOwner } from "@/test/fixtures";
import { customerWabaId, sharedSimulator } from "@/test/health-fixtures";

const db = testDb();
const control = sharedSimulator();
const customerNumber = "110000000000001";

beforeEach(async () => {
  await control.reset();
  await db.businessAccount.deleteMany({ where: { wabaId: customerWabaId } });
});
afterAll(async () => {
  await control.reset();
  await db.businessAccount.deleteMany({ where: { wabaId: customerWabaId } });
});

async function owner() {
  const { tenant, owner } = await createTenantWithOwner(db);
  return { tenantId: tenant.id, actor: { userId: owner.id, label: owner.email } };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected the signup to be refused");
}

describe("Embedded Signup (real Postgres + simulator)", () => {
  it("happy path: code → token → number → scope check → account (token encrypted) → subscribed → registered → healthy", async () => {
    const { tenantId, actor } = await owner();
    const { code } = await control.createOAuthCode({ wabaId: customerWabaId, phoneNumberId: customerNumber });

    const result = await completeEmbeddedSignup({
      db,
      tenantId,
      actor,
      input: { code, wabaId: customerWabaId, phoneNumberId: customerNumber },
    });

    expect(result).toMatchObject({ status: "connected", reauthorized: false, displayPhoneNumber: "+34 633 100 200" });
    const account = await db.businessAccount.findUniqueOrThrow({ where: { wabaId: customerWabaId } });
    expect(account).toMatchObject({ kind: "TENANT_OWNED", tenantId });
    expect(account.accessTokenEncrypted).toBeTruthy();
    const token = decryptSecret(account.accessTokenEncrypted!);
    expect(account.accessTokenEncrypted).not.toContain(token);
    const number = await db.phoneNumber.findUniqueOrThrow({ where: { metaPhoneNumberId: customerNumber }, include: { assignment: true } });
    expect(number).toMatchObject({ onboardingState: "CONNECTED", platformType: "CLOUD_API", status: "CONNECTED", reauthRequiredAt: null });
    expect(number.assignment?.tenantId).toBe(tenantId);
    expect(await db.registrationAttempt.findMany({ where: { phoneNumberId: number.id } })).toMatchObject([
      { trigger: "signup", outcome: "SUCCEEDED" },
    ]);
    // the app is subscribed to the bakery's account now (it was not before: Meta: solution-providers/manage-webhooks)
    expect(await getGraphClient().listSubscribedApps(customerWabaId)).toHaveLength(1);
    expect(await db.auditLog.count({ where: { action: "whatsapp.own_account_connected", tenantId } })).toBe(1);
    expect(await ownAccountStatus({ db, tenantId })).toMatchObject({ connected: true, reauthRequired: false, wabaId: customerWabaId });
  });

  it("an expired code (older than 30 s) is refused with a clear error and creates nothing", async () => {
    const { tenantId, actor } = await owner();
    const { code } = await control.createOAuthCode({ wabaId: customerWabaId });
    await control.advanceClock(31_000);
    const error = await failure(completeEmbeddedSignup({ db, tenantId, actor, input: { code } }));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toMatchObject({ field: "code", reason: "code_expired", metaSubcode: 36007 });
    expect(error.message).toContain("30 seconds");
    expect(await db.businessAccount.count({ where: { wabaId: customerWabaId } })).toBe(0);
  });

  it("a token without the WABA in its management scope is refused", async () => {
    const { tenantId, actor } = await owner();
    const { code } = await control.createOAuthCode({ wabaId: customerWabaId, scopes: ["whatsapp_business_messaging"] });
    const error = await failure(
      completeEmbeddedSignup({ db, tenantId, actor, input: { code, wabaId: customerWabaId, phoneNumberId: customerNumber } }),
    );
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.details).toMatchObject({ reason: "waba_not_in_token_scope", wabaId: customerWabaId });
    expect(await db.businessAccount.count({ where: { wabaId: customerWabaId } })).toBe(0);
  });

  it("a number left pending is flagged; re-authorizing with the same number clears the flag; another number is refused", async () => {
    const { tenantId, actor } = await owner();
    // Meta is still reviewing the display name: the first register call fails with 100/2388001.
    await control.updatePhoneNumber(customerNumber, { nameStatus: "PENDING_REVIEW", nameReview: { afterAttempts: 1 } });
    const first = await completeEmbeddedSignup({
      db,
      tenantId,
      actor,
      input: { code: (await control.createOAuthCode({ wabaId: customerWabaId })).code },
    });
    expect(first.status).toBe("pending");
    expect(first.registration).toMatchObject({ outcome: "pending_provisioning", metaCode: 100, metaSubcode: 2388001 });
    expect(first.message).toContain("run “Connect WhatsApp” again with the same number");
    const flagged = await db.phoneNumber.findUniqueOrThrow({ where: { metaPhoneNumberId: customerNumber } });
    expect(flagged.reauthRequiredAt).not.toBeNull();
    expect(await ownAccountStatus({ db, tenantId })).toMatchObject({ connected: true, reauthRequired: true });

    // Another number of the same account is refused, naming the connected one; nothing changes.
    await control.createPhoneNumber({
      id: "110000000000002",
      wabaId: customerWabaId,
      displayPhoneNumber: "+34 633 100 201",
      verifiedName: "Goiko 2",
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
    });
    const other = await failure(
      completeEmbeddedSignup({
        db,
        tenantId,
        actor,
        input: {
          code: (await control.createOAuthCode({ wabaId: customerWabaId })).code,
          wabaId: customerWabaId,
          phoneNumberId: "110000000000002",
        },
      }),
    );
    expect(other.code).toBe("CONFLICT");
    expect(other.message).toContain("+34 633 100 200");
    expect(await db.phoneNumber.count({ where: { metaPhoneNumberId: "110000000000002" } })).toBe(0);

    // The same number again: registered now, flag cleared.
    const again = await completeEmbeddedSignup({
      db,
      tenantId,
      actor,
      input: {
        code: (await control.createOAuthCode({ wabaId: customerWabaId })).code,
        wabaId: customerWabaId,
        phoneNumberId: customerNumber,
      },
    });
    expect(again).toMatchObject({ status: "connected", reauthorized: true });
    const cleared = await db.phoneNumber.findUniqueOrThrow({ where: { metaPhoneNumberId: customerNumber } });
    expect(cleared).toMatchObject({ reauthRequiredAt: null, onboardingState: "CONNECTED" });
    expect(await db.phoneNumber.count({ where: { metaPhoneNumberId: customerNumber } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "whatsapp.own_account_reauthorized", tenantId } })).toBe(1);
  });

  it("another bakery cannot take an account that is already connected", async () => {
    const a = await owner();
    await completeEmbeddedSignup({ db, ...a, input: { code: (await control.createOAuthCode({ wabaId: customerWabaId })).code } });
    const b = await owner();
    const error = await failure(
      completeEmbeddedSignup({ db, ...b, input: { code: (await control.createOAuthCode({ wabaId: customerWabaId })).code } }),
    );
    expect(error.code).toBe("CONFLICT");
  });

  it("while a number awaits re-authorization its inbound webhooks are still stored and processed", async () => {
    const { tenantId, actor } = await owner();
    await control.updatePhoneNumber(customerNumber, { nameStatus: "PENDING_REVIEW", nameReview: {} });
    await completeEmbeddedSignup({
      db,
      tenantId,
      actor,
      input: { code: (await control.createOAuthCode({ wabaId: customerWabaId })).code },
    });
    const number = await db.phoneNumber.findUniqueOrThrow({ where: { metaPhoneNumberId: customerNumber } });
    expect(number.reauthRequiredAt).not.toBeNull();
    // and its token was refused meanwhile
    await markAccountTokenInvalid({ db, businessAccountId: number.businessAccountId, reason: "(#190) expired" });

    const receiver = await startWebhookReceiver();
    await control.configure({ webhookUrl: receiver.url });
    await control.inbound(customerNumber, { from: "34600111222", text: "Hola, ¿abrís mañana?" });
    await control.qualityUpdate({ phoneNumberId: customerNumber, event: "THROUGHPUT_UPGRADE" });
    await control.flush();
    expect(receiver.received).toHaveLength(2);
    const eventIds: string[] = [];
    for (const hook of receiver.received) {
      const result = await receiveWebhook({
        db,
        rawBody: hook.rawBody,
        signatureHeader: String(hook.headers["x-hub-signature-256"]),
        appSecret: "test-app-secret",
        source: { ip: null, userAgent: null },
      });
      expect(result.httpStatus).toBe(200);
      if ("eventId" in result && result.eventId) {
        eventIds.push(result.eventId);
        await processWebhookItems({ db, handlers: webhookHandlers, eventId: result.eventId });
      }
    }
    await receiver.close();
    const items = await db.webhookItem.findMany({ where: { eventId: { in: eventIds } }, orderBy: { createdAt: "asc" } });
    expect(items.map((i) => [i.field, i.status])).toEqual([
      ["messages", "PROCESSED"],
      ["phone_number_quality_update", "PROCESSED"],
    ]);
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).messagingLimit).toBe("TIER_UNLIMITED");
    await db.alert.updateMany({
      where: { dedupeKey: `token_invalid:${customerWabaId}` },
      data: { dedupeKey: null, acknowledgedAt: new Date() },
    });
  });
});
