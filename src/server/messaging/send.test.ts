/**
 * The sending rules against real Postgres and the simulator over HTTP. Every refusal asserts the code,
 * the details and that nothing reached Meta (the simulator's log of sent messages for the number stays empty).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { encryptSecret } from "@/server/accounts/secrets";
import { sendMessage } from "@/server/messaging/send";
import { testDb } from "@/test/db";
import { createContactRow, createSendingTenant, uniquePhone, resetSharedSimulatorAfterAll, uniqueGraphId } from "@/test/messaging-world";
import { simulatorControl } from "@/meta-simulator/control-client";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);
const control = simulatorControl(simulatorUrl);
const po = (parameters = ["Harinas del Norte", "PO-1042", "245,80 €"]) => ({
  kind: "template" as const,
  templateName: "po_notification",
  parameters,
});

async function sentTo(metaPhoneNumberId: string) {
  return control.messages({ phoneNumberId: metaPhoneNumberId });
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the send was expected to be refused").not.toBeNull();
  return error as { code: string; message: string; details: Record<string, unknown> };
}

afterEach(async () => {
  await control.clearFaults();
});

describe("sending: checks before Meta", () => {
  it("sends an approved template with matching parameters and logs the attempt, then the wamid", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const result = await sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" });
    expect(result).toMatchObject({ status: "ACCEPTED", replayed: false });
    expect(result.wamid).toMatch(/^wamid\./);
    const row = await db.message.findUniqueOrThrow({ where: { id: result.messageId } });
    expect(row).toMatchObject({
      tenantId: tenant.id,
      phoneNumberId: number.id,
      contactId: contact.id,
      templateName: "po_notification",
      templateLanguage: "es",
      parameters: ["Harinas del Norte", "PO-1042", "245,80 €"],
      wamid: result.wamid,
      status: "ACCEPTED",
    });
    const sent = await sentTo(number.metaPhoneNumberId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: contact.phoneE164,
      template: { name: "po_notification", language: "es", bodyParameters: ["Harinas del Norte", "PO-1042", "245,80 €"] },
    });
  });

  it("the same idempotency key never sends twice", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const sends = await Promise.all(
      [1, 2, 3].map(() =>
        sendMessage({
          db,
          tenantId: tenant.id,
          contactId: contact.id,
          content: po(),
          source: "broadcast",
          idempotencyKey: "bc-1:recipient-1",
        }),
      ),
    );
    expect(new Set(sends.map((s) => s.messageId)).size).toBe(1);
    const again = await sendMessage({
      db,
      tenantId: tenant.id,
      contactId: contact.id,
      content: po(),
      source: "broadcast",
      idempotencyKey: "bc-1:recipient-1",
    });
    expect(again.replayed).toBe(true);
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(1);
  });

  it("WhatsApp switched off or no number: refused before anything else", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl, { enabled: false });
    const contact = await createContactRow(db, tenant.id);
    const off = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(off.code).toBe("WHATSAPP_NOT_ENABLED");
    await db.whatsAppSettings.update({ where: { tenantId: tenant.id }, data: { enabled: true, phoneNumberId: null } });
    const none = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(none.code).toBe("NO_PHONE_NUMBER_ASSIGNED");
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(0);
    expect(await db.message.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("case 1: a contact who has not opted in (or opted out) is refused with CONTACT_NOT_OPTED_IN", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const optedOutAt = new Date("2024-01-10T10:00:00Z");
    const contact = await createContactRow(db, tenant.id, { optedIn: false, optedOutAt });
    const error = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(error.code).toBe("CONTACT_NOT_OPTED_IN");
    expect(error.message).toBe("Contact has not opted in to receive messages");
    expect(error.details).toEqual({ contact_id: contact.id, opted_in: false, opted_out_at: "2024-01-10T10:00:00.000Z" });
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(0);
  });

  it("case 2: free-form text outside the 24-hour window is refused with when it expired and the solution; inside it is sent", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const lastInboundAt = new Date(Date.now() - 30 * 3600_000);
    const contact = await createContactRow(db, tenant.id, { lastInboundAt });
    const error = await refusal(
      sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: { kind: "text", body: "¿Mañana a las 8?" }, source: "test" }),
    );
    expect(error.code).toBe("CONVERSATION_EXPIRED");
    expect(error.details).toEqual({
      conversation_id: contact.id,
      expired_at: new Date(lastInboundAt.getTime() + 24 * 3600_000).toISOString(),
      solution: "Use an approved template message",
    });
    const never = await createContactRow(db, tenant.id);
    const neverError = await refusal(
      sendMessage({ db, tenantId: tenant.id, contactId: never.id, content: { kind: "text", body: "hola" }, source: "test" }),
    );
    expect(neverError).toMatchObject({ code: "CONVERSATION_EXPIRED", details: { expired_at: null } });
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(0);

    // inside the window (the simulator must see the inbound message too, as Meta would)
    const open = await createContactRow(db, tenant.id, { lastInboundAt: new Date() });
    await control.inbound(number.metaPhoneNumberId, { from: open.phoneE164.slice(1), text: "hola" });
    const ok = await sendMessage({
      db,
      tenantId: tenant.id,
      contactId: open.id,
      content: { kind: "text", body: "¡Hola! Sí, mañana a las 8." },
      source: "test",
    });
    expect(ok.status).toBe("ACCEPTED");
  });

  it("Meta's own 131047 (window closed on Meta's side) maps to CONVERSATION_EXPIRED", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    // we believe the window is open, Meta has never seen the contact write
    const contact = await createContactRow(db, tenant.id, { lastInboundAt: new Date() });
    const error = await refusal(
      sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: { kind: "text", body: "hola" }, source: "test" }),
    );
    expect(error).toMatchObject({
      code: "CONVERSATION_EXPIRED",
      details: { meta_error_code: 131047, solution: "Use an approved template message" },
    });
    const row = await db.message.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(row).toMatchObject({ status: "FAILED", errorCode: 131047, appErrorCode: "CONVERSATION_EXPIRED" });
    expect(number.id).toBeTruthy();
  });

  it("case 3: a pending or rejected template is refused with its status and rejection reason", async () => {
    const db = testDb();
    const { tenant, number, account } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const template = await db.messageTemplate.upsert({
      where: { businessAccountId_name_language: { businessAccountId: account.id, name: "promo_offer", language: "es" } },
      update: { status: "REJECTED", rejectedReason: "Template contains prohibited content" },
      create: {
        businessAccountId: account.id,
        metaTemplateId: "555000111",
        name: "promo_offer",
        language: "es",
        status: "REJECTED",
        rejectedReason: "Template contains prohibited content",
        parameterNames: ["1"],
      },
    });
    const error = await refusal(
      sendMessage({
        db,
        tenantId: tenant.id,
        contactId: contact.id,
        content: { kind: "template", templateName: "promo_offer", parameters: ["10%"] },
        source: "test",
      }),
    );
    expect(error.code).toBe("TEMPLATE_NOT_APPROVED");
    expect(error.message).toBe("Template 'promo_offer' is not approved for sending");
    expect(error.details).toEqual({
      template_id: template.id,
      template_name: "promo_offer",
      status: "rejected",
      rejection_reason: "Template contains prohibited content",
    });

    await db.messageTemplate.update({ where: { id: template.id }, data: { status: "PENDING", rejectedReason: null } });
    const pending = await refusal(
      sendMessage({
        db,
        tenantId: tenant.id,
        contactId: contact.id,
        content: { kind: "template", templateName: "promo_offer", parameters: ["10%"] },
        source: "test",
      }),
    );
    expect(pending.details).toMatchObject({ status: "pending", rejection_reason: null });
    const unknown = await refusal(
      sendMessage({
        db,
        tenantId: tenant.id,
        contactId: contact.id,
        content: { kind: "template", templateName: "nope", parameters: [] },
        source: "test",
      }),
    );
    expect(unknown.code).toBe("TEMPLATE_NOT_FOUND");
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(0);
  });

  it("case 9: parameters that do not match are refused with expected, provided and the names", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const error = await refusal(
      sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(["Harinas del Norte", "PO-1042"]), source: "test" }),
    );
    expect(error.code).toBe("TEMPLATE_PARAMS_MISMATCH");
    expect(error.message).toBe("Template expects 3 parameters, but 2 were provided");
    expect(error.details).toEqual({
      template_name: "po_notification",
      expected_params: 3,
      provided_params: 2,
      param_names: ["1", "2", "3"],
    });
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(0);
  });

  it("a bakery writing in Catalan sends the Spanish version while no Catalan one exists", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl, { language: "ca" });
    const contact = await createContactRow(db, tenant.id);
    const result = await sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" });
    expect(await db.message.findUniqueOrThrow({ where: { id: result.messageId } })).toMatchObject({ templateLanguage: "es" });
    expect((await sentTo(number.metaPhoneNumberId))[0]).toMatchObject({ template: { language: "es" } });
  });

  it("checks run in the issue's order: not opted in wins over a bad template", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id, { optedIn: false });
    const error = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(["only one"]), source: "test" }));
    expect(error.code).toBe("CONTACT_NOT_OPTED_IN");
  });
});

describe("sending: Meta's answers", () => {
  it("case 7: 131026 (synchronous) → RECIPIENT_NOT_ON_WHATSAPP, message failed, contact flagged and excluded from later sends", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    await control.setFaults({ next: [{ type: "error", code: 131026 }], pathPattern: `${number.metaPhoneNumberId}/messages` } as never);
    const error = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(error.code).toBe("RECIPIENT_NOT_ON_WHATSAPP");
    expect(error.message).toBe("Phone number is not registered on WhatsApp");
    expect(error.details).toMatchObject({ phone: contact.phoneE164, meta_error_code: 131026, contact_id: contact.id });
    expect(await db.message.findFirstOrThrow({ where: { contactId: contact.id } })).toMatchObject({
      status: "FAILED",
      errorCode: 131026,
      appErrorCode: "RECIPIENT_NOT_ON_WHATSAPP",
    });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).notOnWhatsAppAt).toBeInstanceOf(Date);

    await control.clearFaults();
    const before = (await sentTo(number.metaPhoneNumberId)).length;
    const later = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(later).toMatchObject({ code: "RECIPIENT_NOT_ON_WHATSAPP", details: { contact_id: contact.id, phone: contact.phoneE164 } });
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(before);
  });

  it("130429 is retried with backoff and then succeeds; persistent throttling ends as RATE_LIMIT_EXCEEDED", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    await control.setFaults({ next: [{ type: "error", code: 130429 }], pathPattern: `${number.metaPhoneNumberId}/messages` } as never);
    const ok = await sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" });
    expect(ok.status).toBe("ACCEPTED");
    expect(await sentTo(number.metaPhoneNumberId)).toHaveLength(1);

    const other = await createContactRow(db, tenant.id);
    await control.setFaults({
      next: [
        { type: "error", code: 130429 },
        { type: "error", code: 130429 },
      ],
      pathPattern: `${number.metaPhoneNumberId}/messages`,
    } as never);
    const error = await refusal(
      sendMessage({ db, tenantId: tenant.id, contactId: other.id, content: po(), source: "test", rateLimitAttempts: 2 }),
    );
    expect(error).toMatchObject({
      code: "RATE_LIMIT_EXCEEDED",
      message: "WhatsApp rate limit exceeded",
      details: { meta_error_code: 130429, period: "1 second" },
    });
    expect(error.details.retry_after_seconds).toBeGreaterThan(0);
    expect(await db.message.findFirstOrThrow({ where: { contactId: other.id } })).toMatchObject({
      status: "FAILED",
      errorCode: 130429,
      appErrorCode: "RATE_LIMIT_EXCEEDED",
    });
  });

  it("case 12: 190 → TOKEN_EXPIRED with 'Reconnect WhatsApp in Settings', the account marked and the admin alerted", async () => {
    const db = testDb();
    const customerWabaId = "109876543210987";
    const { token } = (await control.createToken({ wabaIds: [customerWabaId] })) as { token: string };
    const simNumber = await control.createPhoneNumber({
      id: uniqueGraphId(),
      displayPhoneNumber: `+34 633 ${Date.now() % 1000} 001`,
      registered: true,
      wabaId: customerWabaId,
    } as never);
    const account = await db.businessAccount.upsert({
      where: { wabaId: customerWabaId },
      update: { accessTokenEncrypted: encryptSecret(token), tokenInvalidAt: null },
      create: { wabaId: customerWabaId, name: "Panadería Goiko", kind: "TENANT_OWNED", accessTokenEncrypted: encryptSecret(token) },
    });
    const number = await db.phoneNumber.create({
      data: { metaPhoneNumberId: simNumber.id, businessAccountId: account.id, displayPhoneNumber: "+34 633 000 001" },
    });
    await db.messageTemplate.upsert({
      where: { businessAccountId_name_language: { businessAccountId: account.id, name: "po_notification", language: "es" } },
      update: { status: "APPROVED" },
      create: {
        businessAccountId: account.id,
        metaTemplateId: "777",
        name: "po_notification",
        language: "es",
        status: "APPROVED",
        parameterNames: ["1", "2", "3"],
      },
    });
    const { createTenantWithOwner } = await import("@/test/fixtures");
    const { tenant } = await createTenantWithOwner(db);
    await db.whatsAppSettings.update({ where: { tenantId: tenant.id }, data: { enabled: true, phoneNumberId: number.id } });
    const contact = await createContactRow(db, tenant.id, { phoneE164: uniquePhone() });
    await control.expireToken(token);

    const error = await refusal(sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test" }));
    expect(error.code).toBe("TOKEN_EXPIRED");
    expect(error.message).toBe("WhatsApp access token has expired");
    expect(error.details).toMatchObject({ action_required: "Reconnect WhatsApp in Settings", meta_error_code: 190 });
    expect(Date.parse(error.details.expired_at as string)).not.toBeNaN();
    expect((await db.businessAccount.findUniqueOrThrow({ where: { id: account.id } })).tokenInvalidAt).toBeInstanceOf(Date);
    const alert = await db.alert.findFirst({
      where: { kind: "token_invalid", dedupeKey: `token_invalid:${customerWabaId}`, acknowledgedAt: null },
    });
    expect(alert?.severity).toBe("CRITICAL");
    expect(await sentTo(simNumber.id)).toHaveLength(0);
  });
});

describe("single sends are paced", () => {
  it("200 sends at once through sendMessage on one STANDARD number: none refused with 130429, never over 80 in a second", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const contacts = [];
    for (let i = 0; i < 200; i++) contacts.push(await createContactRow(db, tenant.id, { phoneE164: `+3469${String(5_000_000 + i)}` }));
    const outcomes = await Promise.all(
      contacts.map((contact) =>
        sendMessage({ db, tenantId: tenant.id, contactId: contact.id, content: po(), source: "test", rateLimitAttempts: 1 }).then(
          (result) => result.status,
          (error: { code?: string }) => error.code ?? "error",
        ),
      ),
    );
    expect(outcomes.filter((status) => status !== "ACCEPTED")).toEqual([]);
    const accepted = (await sentTo(number.metaPhoneNumberId)).map((m) => m.acceptedAt).sort((a, b) => a - b);
    expect(accepted).toHaveLength(200);
    let busiest = 0;
    for (let start = 0, end = 0; end < accepted.length; end++) {
      while (accepted[end]! - accepted[start]! >= 1000) start++;
      busiest = Math.max(busiest, end - start + 1);
    }
    expect(busiest).toBeLessThanOrEqual(80);
  });
});
