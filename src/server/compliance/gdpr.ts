/**
 * GDPR requests. A bakery owner can export everything Recado holds about one contact (GDPR art. 15/20) and erase a
 * contact (art. 17); an admin can do the same for a bakery owner's account. Erasure keeps the consent records as
 * proof of consent (art. 7(1): the controller must be able to show consent was given): the contact row stays as
 * their holder, its number replaced by "erased:" and the number's SHA-256, so the bakery can still prove consent
 * for a number someone presents, and nothing else about the person is left.
 */
import { createHash } from "node:crypto";
import type { Db } from "@/server/db";
import { writeAudit, type Actor } from "@/server/audit/audit";
import { AppError } from "@/server/errors";
import { writeCsv } from "@/lib/csv-export";

export const erasedPhonePrefix = "erased:";

/** The proof an erased contact keeps: the SHA-256 (hex) of its E.164 number, e.g. sha256("+34612345678"). */
export const phoneHash = (phoneE164: string) => createHash("sha256").update(phoneE164).digest("hex");

async function contactOfBakery(db: Db, tenantId: string, contactId: string) {
  const contact = await db.contact.findFirst({ where: { id: contactId, tenantId, erasedAt: null } });
  if (!contact) throw new AppError("NOT_FOUND", "Contact not found.", { contactId });
  return contact;
}

export type ContactExport = Awaited<ReturnType<typeof exportContactData>>;

/** Everything Recado holds about one contact of one bakery: the contact, its consent records, its messages with statuses. */
export async function exportContactData({ db, tenantId, contactId, actor }: { db: Db; tenantId: string; contactId: string; actor: Actor }) {
  const contact = await contactOfBakery(db, tenantId, contactId);
  const [consentRecords, messages, broadcastRecipients] = await Promise.all([
    db.consentRecord.findMany({ where: { tenantId, contactId }, orderBy: { createdAt: "asc" } }),
    db.message.findMany({
      where: { tenantId, contactId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: {
        statusEvents: { orderBy: { occurredAt: "asc" }, select: { status: true, occurredAt: true, errorCode: true, errorTitle: true } },
      },
    }),
    db.broadcastRecipient.findMany({
      where: { contactId, broadcast: { tenantId } },
      select: { broadcast: { select: { name: true, templateName: true } }, status: true, parameters: true, sentAt: true, errorTitle: true },
    }),
  ]);
  await writeAudit(db, {
    actor,
    action: "gdpr.contact_exported",
    tenantId,
    targetType: "contact",
    targetId: contactId,
    metadata: { messages: messages.length, consentRecords: consentRecords.length },
  });
  return {
    exportedAt: new Date().toISOString(),
    contact: {
      id: contact.id,
      phoneE164: contact.phoneE164,
      name: contact.name,
      tags: contact.tags,
      optedIn: contact.optedIn,
      optedInAt: contact.optedInAt,
      optedOutAt: contact.optedOutAt,
      consentSource: contact.consentSource,
      notOnWhatsAppAt: contact.notOnWhatsAppAt,
      lastInboundAt: contact.lastInboundAt,
      createdAt: contact.createdAt,
    },
    consentRecords: consentRecords.map((r) => ({ optedIn: r.optedIn, source: r.source, note: r.note, createdAt: r.createdAt })),
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      type: m.type,
      templateName: m.templateName,
      templateLanguage: m.templateLanguage,
      parameters: m.parameters,
      body: m.body,
      status: m.status,
      errorCode: m.errorCode,
      errorTitle: m.errorTitle,
      createdAt: m.createdAt,
      statusHistory: m.statusEvents,
    })),
    broadcasts: broadcastRecipients.map((r) => ({
      broadcast: r.broadcast.name,
      templateName: r.broadcast.templateName,
      status: r.status,
      parameters: r.parameters,
      sentAt: r.sentAt,
      errorTitle: r.errorTitle,
    })),
  };
}

const iso = (value: Date | string | null) => (value === null ? "" : new Date(value).toISOString());

/** The same export as one CSV: a row per record, `record` saying which kind (contact, consent, message, broadcast). */
export function contactExportCsv(data: ContactExport): string {
  const fields = [
    "record",
    "at",
    "phone",
    "name",
    "opted_in",
    "source",
    "direction",
    "type",
    "template",
    "text",
    "status",
    "status_history",
  ];
  const c = data.contact;
  const rows: unknown[][] = [
    [
      "contact",
      iso(c.createdAt),
      c.phoneE164,
      c.name ?? "",
      String(c.optedIn),
      c.consentSource ?? "",
      "",
      "",
      "",
      c.tags.join(" "),
      "",
      "",
    ],
    ...data.consentRecords.map((r) => ["consent", iso(r.createdAt), "", "", String(r.optedIn), r.source, "", "", "", r.note ?? "", "", ""]),
    ...data.messages.map((m) => [
      "message",
      iso(m.createdAt),
      "",
      "",
      "",
      "",
      m.direction,
      m.type,
      m.templateName ?? "",
      m.body ?? m.parameters.join(" | "),
      m.status,
      m.statusHistory.map((s) => `${s.status} ${iso(s.occurredAt)}`).join("; "),
    ]),
    ...data.broadcasts.map((b) => [
      "broadcast",
      iso(b.sentAt),
      "",
      "",
      "",
      b.broadcast,
      "",
      "template",
      b.templateName,
      b.parameters.join(" | "),
      b.status,
      "",
    ]),
  ];
  return writeCsv({ fields, data: rows });
}

/**
 * Erases one contact: name, number, tags and the words of its messages go; messages stay as counts (no content),
 * the stored webhook items and batches that carried its number lose their payload, and the consent records stay
 * as proof with the number hashed. One transaction: all of it or nothing.
 */
export async function eraseContact({ db, tenantId, contactId, actor }: { db: Db; tenantId: string; contactId: string; actor: Actor }) {
  const contact = await contactOfBakery(db, tenantId, contactId);
  const hash = phoneHash(contact.phoneE164);
  // Meta writes numbers without "+" (wa_id, from): https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
  const digits = contact.phoneE164.replace(/\D/g, "");
  const likeDigits = `%${digits}%`;
  return db.$transaction(async (tx) => {
    await tx.contact.update({
      where: { id: contact.id },
      data: {
        phoneE164: `${erasedPhonePrefix}${hash}`,
        name: null,
        tags: [],
        optedIn: false,
        lastInboundAt: null,
        notOnWhatsAppAt: null,
        // the business-scoped user id and username identify the person too (issue 17)
        userId: null,
        username: null,
        erasedAt: new Date(),
      },
    });
    const messages = await tx.message.updateMany({ where: { tenantId, contactId }, data: { body: null, parameters: [] } });
    const recipients = await tx.$executeRaw`
      UPDATE "broadcast_recipients" r SET "phoneE164" = ${`${erasedPhonePrefix}${hash}`}, "name" = NULL, "parameters" = '{}'
      FROM "broadcasts" b
      WHERE b."id" = r."broadcastId" AND b."tenantId" = ${tenantId} AND (r."contactId" = ${contact.id} OR r."phoneE164" = ${contact.phoneE164})`;
    // the webhooks of this bakery's numbers (the one it has, and those its messages went through) that name the person
    const numbers = await tx.$queryRaw<{ metaPhoneNumberId: string }[]>`
      SELECT DISTINCT p."metaPhoneNumberId" FROM "phone_numbers" p
      WHERE p."id" IN (SELECT "phoneNumberId" FROM "whatsapp_settings" WHERE "tenantId" = ${tenantId} AND "phoneNumberId" IS NOT NULL)
         OR p."id" IN (SELECT "phoneNumberId" FROM "messages" WHERE "tenantId" = ${tenantId} AND "contactId" = ${contact.id})`;
    const metaIds = numbers.map((n) => n.metaPhoneNumberId);
    const items = await tx.$queryRaw<{ id: string; eventId: string }[]>`
      UPDATE "webhook_items" SET "payload" = '{}'::jsonb
      WHERE "phoneNumberId" = ANY(${metaIds}::text[]) AND "payload"::text LIKE ${likeDigits}
      RETURNING "id", "eventId"`;
    const batches = await tx.$executeRaw`
      UPDATE "webhook_events" SET "payload" = '{}'::jsonb
      WHERE "id" = ANY(${[...new Set(items.map((i) => i.eventId))]}::text[]) AND "payload"::text LIKE ${likeDigits}`;
    const counts = { messages: messages.count, broadcastRecipients: recipients, webhookItems: items.length, webhookBatches: batches };
    await writeAudit(tx, {
      actor,
      action: "gdpr.contact_erased",
      tenantId,
      targetType: "contact",
      targetId: contact.id,
      after: { phoneSha256: hash, erased: counts },
    });
    return { contactId: contact.id, phoneSha256: hash, ...counts };
  });
}

// --- a bakery owner's account (admin) -------------------------------------------------------------------------

async function ownerAccount(db: Db, userId: string) {
  const user = await db.user.findFirst({ where: { id: userId, role: "TENANT_OWNER" } });
  if (!user) throw new AppError("NOT_FOUND", "Bakery owner not found.", { userId });
  return user;
}

/** What Recado holds about a bakery owner as a person: the account (never its password hash), sign-ins, actions. */
export async function exportOwnerAccount({ db, userId, actor }: { db: Db; userId: string; actor: Actor }) {
  const user = await ownerAccount(db, userId);
  const [tenant, apiKeys, actions] = await Promise.all([
    user.tenantId ? db.tenant.findUnique({ where: { id: user.tenantId }, select: { id: true, name: true, slug: true } }) : null,
    db.apiKey.findMany({
      where: { createdById: user.id },
      select: { name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    }),
    db.auditLog.findMany({
      where: { actorUserId: user.id },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true, action: true, targetType: true, targetId: true },
    }),
  ]);
  await writeAudit(db, { actor, action: "gdpr.owner_exported", tenantId: user.tenantId, targetType: "user", targetId: user.id });
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      notificationPhone: user.notificationPhone,
      notificationPhoneConfirmedAt: user.notificationPhoneConfirmedAt,
      lastSignInAt: user.lastSignInAt,
      createdAt: user.createdAt,
    },
    bakery: tenant,
    apiKeysCreated: apiKeys,
    actions,
  };
}

/**
 * Erases a bakery owner's account: the user row goes (its sessions end with it), its e-mail leaves the audit trail's
 * actor labels, the consent notes it signed and the sign-in failures. The bakery and its business data stay.
 */
export async function eraseOwnerAccount({ db, userId, actor }: { db: Db; userId: string; actor: Actor }) {
  const user = await ownerAccount(db, userId);
  const erasedLabel = `erased-user:${user.id}`;
  return db.$transaction(async (tx) => {
    const audit = await tx.auditLog.updateMany({
      where: { OR: [{ actorUserId: user.id }, { actorLabel: user.email }] },
      data: { actorLabel: erasedLabel },
    });
    const notes = await tx.$executeRaw`
      UPDATE "consent_records" SET "note" = replace("note", ${user.email}, ${erasedLabel})
      WHERE "tenantId" = ${user.tenantId} AND "note" LIKE ${`%${user.email}%`}`;
    const failures = await tx.signInFailure.deleteMany({ where: { email: user.email.toLowerCase() } });
    // any session still open is refused on its next request: its user row is gone
    await tx.user.delete({ where: { id: user.id } });
    const counts = { auditEntries: audit.count, consentNotes: notes, signInFailures: failures.count };
    await writeAudit(tx, {
      actor,
      action: "gdpr.owner_erased",
      tenantId: user.tenantId,
      targetType: "user",
      targetId: user.id,
      after: { erased: counts },
    });
    return { userId: user.id, ...counts };
  });
}
