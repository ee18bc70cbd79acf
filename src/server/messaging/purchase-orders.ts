/**
 * Seed 003's purchase-order notification: the bakery's purchasing system says "PO created" and the supplier gets
 * `po_notification` ({{1}} supplier, {{2}} order number, {{3}} total) in the bakery's language, from its number
 * (or the platform's default number when it has none). The order number is the idempotency key: the same order
 * posted twice (a retry after a timeout) notifies once.
 *
 * A supplier the bakery's system names for the first time is created opted in (source "api": the bakery vouches
 * for the business relationship); a supplier who has opted out (e.g. sent BAJA) is refused.
 */
import type { Db } from "@/server/db";
import { createContact, setConsent, tenantRegion, upsertContact } from "@/server/contacts/contacts";
import { normalizePhoneOrThrow } from "@/server/contacts/phone";
import { sendMessage, type SendResult } from "@/server/messaging/send";

export const poTemplateName = "po_notification";

export async function notifyPurchaseOrder({ db, tenantId, supplierPhone, supplierName, orderNumber, total }: {
  db: Db;
  tenantId: string;
  supplierPhone: string;
  supplierName: string;
  orderNumber: string;
  total: string;
}): Promise<SendResult & { contactId: string }> {
  const existing = await findContact(db, tenantId, supplierPhone);
  const contact = existing ?? (await createContact({ db, tenantId, phone: supplierPhone, name: supplierName, optedIn: true, source: "api" }));
  const result = await sendMessage({
    db,
    tenantId,
    contactId: contact.id,
    content: { kind: "template", templateName: poTemplateName, parameters: [supplierName, orderNumber, total] },
    source: "api",
    idempotencyKey: `purchase-order:${orderNumber}`,
    allowDefaultNumber: true,
  });
  return { ...result, contactId: contact.id };
}

async function findContact(db: Db, tenantId: string, phone: string) {
  const phoneE164 = normalizePhoneOrThrow(phone, await tenantRegion(db, tenantId));
  return db.contact.findUnique({ where: { tenantId_phoneE164: { tenantId, phoneE164 } } });
}

/** Settings → "send a test notification to myself": a purchase order addressed to the owner's own phone. */
export async function sendTestNotification({ db, tenantId, phone, ownerName }: { db: Db; tenantId: string; phone: string; ownerName: string }) {
  const orderNumber = `TEST-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
  const contact = await upsertContact({ db, tenantId, phone, name: ownerName });
  // the owner asking for a test to their own phone is their consent
  await setConsent({ db, tenantId, contactId: contact.id, optedIn: true, source: "manual", note: "test notification requested by the owner" });
  return sendMessage({
    db,
    tenantId,
    contactId: contact.id,
    content: { kind: "template", templateName: poTemplateName, parameters: [ownerName, orderNumber, "0,00 €"] },
    source: "test",
  });
}
