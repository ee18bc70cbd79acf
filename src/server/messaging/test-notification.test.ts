/**
 * Consent belongs to the contact: after STOP, nothing the owner does except an explicit, recorded opt-in changes
 * it — not the test notification, not adding the number again, not a CSV import, not a purchase order. The test
 * notification goes only to the owner's own number and never creates or touches a contact.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { importContactsCsv } from "@/server/contacts/import";
import { handleInboundMessage } from "@/server/messaging/inbound";
import { notifyPurchaseOrder } from "@/server/messaging/purchase-orders";
import { callerAs } from "@/test/fixtures";
import { testDb } from "@/test/db";
import { createContactRow, createSendingTenant, resetSharedSimulatorAfterAll, uniquePhone } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

describe("consent after STOP", () => {
  it("only an explicit recorded opt-in changes it; the test notification aimed at the contact is refused and sends nothing", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id, { name: "Cliente que dijo STOP" });
    await control.inbound(number.metaPhoneNumberId, { from: contact.phoneE164.slice(1), text: "STOP" });
    await handleInboundMessage({
      db,
      metaPhoneNumberId: number.metaPhoneNumberId,
      message: {
        messageId: `wamid.stop-${randomUUID()}`,
        from: contact.phoneE164.slice(1),
        timestamp: Math.floor(Date.now() / 1000),
        type: "text",
        text: "STOP",
        errors: [],
      },
    });
    const optedOut = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(optedOut).toMatchObject({ optedIn: false, consentSource: "webhook_stop" });
    const records = await db.consentRecord.count({ where: { contactId: contact.id } });
    const sentBefore = (await control.messages({ phoneNumberId: number.metaPhoneNumberId, to: contact.phoneE164 })).length;
    const asOwner = callerAs(db, owner);

    // the test notification to that number
    await expect(asOwner.messages.sendTestNotification({ phone: contact.phoneE164 })).rejects.toMatchObject({
      cause: { code: "CONTACT_NOT_OPTED_IN", details: { opted_in: false } },
    });
    // adding the number again, opted in
    await asOwner.contacts.create({ phone: contact.phoneE164, name: "Otra vez", optedIn: true });
    // a CSV import saying yes
    await importContactsCsv({ db, tenantId: tenant.id, csv: `phone,name,opted_in\n${contact.phoneE164},Otra,yes` });
    // a purchase order to it
    await expect(
      notifyPurchaseOrder({
        db,
        tenantId: tenant.id,
        supplierPhone: contact.phoneE164,
        supplierName: "X",
        orderNumber: `PO-${randomUUID()}`,
        total: "1,00 €",
      }),
    ).rejects.toMatchObject({ code: "CONTACT_NOT_OPTED_IN" });

    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({ optedIn: false, consentSource: "webhook_stop", optedOutAt: optedOut.optedOutAt });
    expect(await db.consentRecord.count({ where: { contactId: contact.id } })).toBe(records);
    expect(await control.messages({ phoneNumberId: number.metaPhoneNumberId, to: contact.phoneE164 })).toHaveLength(sentBefore);

    // an explicit opt-in by the owner is recorded with its source
    expect(await asOwner.contacts.setConsent({ contactId: contact.id, optedIn: true })).toEqual({ changed: true });
    expect(await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ optedIn: true, consentSource: "manual" });
    expect(await db.consentRecord.findFirstOrThrow({ where: { contactId: contact.id }, orderBy: { createdAt: "desc" } })).toMatchObject({
      optedIn: true,
      source: "manual",
      note: `by ${owner.email}`,
    });
  });

  it("the test notification reaches only the owner's own number, kept on the profile, and creates no contact or message", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl);
    const mine = uniquePhone();
    const asOwner = callerAs(db, owner);
    const contactsBefore = await db.contact.count({ where: { tenantId: tenant.id } });
    const messagesBefore = await db.message.count({ where: { tenantId: tenant.id } });

    const first = await asOwner.messages.sendTestNotification({ phone: mine });
    expect(first.to).toBe(mine);
    // entered once: the next test needs no number
    const second = await asOwner.messages.sendTestNotification({});
    expect(second.to).toBe(mine);

    const sent = await control.messages({ phoneNumberId: number.metaPhoneNumberId });
    expect(sent.filter((m) => m.id === first.wamid || m.id === second.wamid).map((m) => [m.to, m.template?.name])).toEqual([
      [mine, "po_notification"],
      [mine, "po_notification"],
    ]);
    expect(sent.every((m) => m.to === mine)).toBe(true);
    expect(await db.contact.count({ where: { tenantId: tenant.id } })).toBe(contactsBefore);
    expect(await db.message.count({ where: { tenantId: tenant.id } })).toBe(messagesBefore);
    const profile = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(profile.notificationPhone).toBe(mine);
    expect(profile.notificationPhoneConfirmedAt).toBeInstanceOf(Date);
    expect(await asOwner.account.me()).toMatchObject({ notificationPhone: mine });

    // an opted-in contact with the owner's number gets it, and its consent is left as it was
    const optedIn = await createContactRow(db, tenant.id);
    const result = await asOwner.messages.sendTestNotification({ phone: optedIn.phoneE164 });
    expect(result.to).toBe(optedIn.phoneE164);
    expect(await db.consentRecord.count({ where: { contactId: optedIn.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id } })).notificationPhone).toBe(optedIn.phoneE164);
  });
});
