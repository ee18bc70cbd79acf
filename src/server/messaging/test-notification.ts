/**
 * Settings → "send a test notification to myself": a po_notification to the owner's own phone, kept on the
 * owner's profile (entered once; confirmed when Meta accepts a test to it). It is not a contact of the bakery and
 * never becomes one: the test creates, changes and opts in no contact, and it leaves no message in the bakery's
 * history. If the number is also a contact of the bakery, that contact's consent decides: a contact who opted out
 * (e.g. sent STOP) is refused with CONTACT_NOT_OPTED_IN and stays opted out.
 *
 * The same checks as any send apply before Meta is called (WhatsApp on, a number, po_notification approved).
 */
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { graphClientForAccount } from "@/server/accounts/graph";
import { markAccountTokenInvalid } from "@/server/accounts/token-status";
import { tenantRegion } from "@/server/contacts/contacts";
import { normalizePhoneOrThrow } from "@/server/contacts/phone";
import { poTemplateName } from "@/server/messaging/purchase-orders";
import { checkTemplate, loadSendingNumber } from "@/server/messaging/send";
import { isGraphApiError } from "@/server/whatsapp";

export type TestNotificationResult = { wamid: string; to: string; confirmedAt: string };

export async function sendTestNotification({
  db,
  tenantId,
  userId,
  phone,
}: {
  db: Db;
  tenantId: string;
  userId: string;
  /** a new number for the profile; without it the number already on the profile is used */
  phone?: string;
}): Promise<TestNotificationResult> {
  const owner = await db.user.findFirst({ where: { id: userId, tenantId }, select: { id: true, name: true, notificationPhone: true } });
  if (!owner) throw new AppError("FORBIDDEN", "Test notifications are sent to a bakery owner's own phone.");
  const to = phone ? normalizePhoneOrThrow(phone, await tenantRegion(db, tenantId)) : owner.notificationPhone;
  if (!to) {
    throw new AppError("VALIDATION_FAILED", "Enter your own mobile number first.", {
      field: "phone",
      expected: "your mobile number",
      example: "+34612345678",
    });
  }
  if (to !== owner.notificationPhone) {
    await db.user.update({ where: { id: owner.id }, data: { notificationPhone: to, notificationPhoneConfirmedAt: null } });
  }

  const contact = await db.contact.findUnique({
    where: { tenantId_phoneE164: { tenantId, phoneE164: to } },
    select: { id: true, optedIn: true, optedOutAt: true },
  });
  if (contact && !contact.optedIn) {
    const message = "This number is one of your contacts and has not opted in (or opted out): the test is not sent to it.";
    throw new AppError("CONTACT_NOT_OPTED_IN", message, {
      contact_id: contact.id,
      opted_in: false,
      opted_out_at: contact.optedOutAt?.toISOString() ?? null,
      solution: "Use your own number; only the contact can opt in again, by writing to you",
    });
  }

  const from = await loadSendingNumber({ db, tenantId });
  const content = { kind: "template" as const, templateName: poTemplateName, parameters: [owner.name, testOrderNumber(), "0,00 €"] };
  const { language, template } = await checkTemplate(db, from, content);
  let wamid: string;
  try {
    const sent = await graphClientForAccount(from.account).sendTemplateMessage({
      phoneNumberId: from.metaPhoneNumberId,
      to,
      templateName: template.name,
      languageCode: language,
      bodyParameters: content.parameters,
    });
    wamid = sent.messageId;
  } catch (error) {
    if (!isGraphApiError(error)) throw error;
    if (error.code === "TOKEN_EXPIRED") await markAccountTokenInvalid({ db, businessAccountId: from.account.id, reason: error.message });
    throw new AppError(error.code, error.message, { phone: to, meta_error_code: error.metaCode ?? null }, { cause: error });
    throw error;
  }
  const confirmedAt = new Date();
  await db.user.update({ where: { id: owner.id }, data: { notificationPhoneConfirmedAt: confirmedAt } });
  return { wamid, to, confirmedAt: confirmedAt.toISOString() };
}

const testOrderNumber = () => `TEST-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
