/**
 * A tenant's contacts and their consent. Every opt-in / opt-out is a conditional UPDATE plus an append-only
 * consent record in ONE statement, so a change applies once even when two requests (or two STOP webhooks)
 * race: the second UPDATE re-checks its WHERE after the first commits and changes nothing.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { normalizePhoneOrThrow } from "@/server/contacts/phone";

export type ConsentSource = "manual" | "import" | "api" | "webhook_stop" | "webhook_start" | "admin";

export async function tenantRegion(db: Db, tenantId: string): Promise<string> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { defaultRegion: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Bakery not found.", { tenantId });
  return tenant.defaultRegion;
}

/** Finds or creates the contact for a phone number (normalised in the tenant's region). */
export async function upsertContact({
  db,
  tenantId,
  phone,
  name,
  region,
}: {
  db: Db;
  tenantId: string;
  phone: string;
  name?: string | null;
  region?: string;
}) {
  const phoneE164 = normalizePhoneOrThrow(phone, region ?? (await tenantRegion(db, tenantId)));
  return db.contact.upsert({
    where: { tenantId_phoneE164: { tenantId, phoneE164 } },
    update: name ? { name } : {},
    create: { tenantId, phoneE164, name: name || null },
  });
}

export async function createContact({
  db,
  tenantId,
  phone,
  name,
  optedIn,
  source = "manual",
}: {
  db: Db;
  tenantId: string;
  phone: string;
  name?: string | null;
  optedIn?: boolean;
  source?: ConsentSource;
}) {
  const region = await tenantRegion(db, tenantId);
  const existed = await db.contact.findUnique({
    where: { tenantId_phoneE164: { tenantId, phoneE164: normalizePhoneOrThrow(phone, region) } },
    select: { id: true },
  });
  const contact = await upsertContact({ db, tenantId, phone, name, region });
  // adding a number that is already a contact never changes its consent (it may have sent STOP): only an
  // explicit opt-in (setConsent, recorded with its source) or the contact's own messages do
  if (optedIn && !existed) await setConsent({ db, tenantId, contactId: contact.id, optedIn: true, source });
  return db.contact.findUniqueOrThrow({ where: { id: contact.id } });
}

/**
 * Opts a contact in or out. Returns true when the state changed (and a consent record was written), false when
 * it already was so — the caller sends a confirmation only on true.
 */
export async function setConsent({
  db,
  tenantId,
  contactId,
  optedIn,
  source,
  note,
  actor,
}: {
  db: Db;
  tenantId: string;
  contactId: string;
  optedIn: boolean;
  source: ConsentSource;
  note?: string;
  /** who recorded it: the owner, or (default) "system" for imports, webhooks and API calls */
  actor?: Actor;
}): Promise<boolean> {
  const { userId: actorUserId, label: actorLabel } = actor ?? { userId: null, label: "system" };
  const action = optedIn ? "contact.opt_in" : "contact.opt_out";
  // the audit entry is part of the same statement, so it exists exactly when the change does
  const rows = await db.$queryRaw<{ contactId: string }[]>`
    WITH changed AS (
      UPDATE "contacts"
         SET "optedIn" = ${optedIn},
             "optedInAt" = CASE WHEN ${optedIn} THEN now() ELSE "optedInAt" END,
             "optedOutAt" = CASE WHEN ${optedIn} THEN "optedOutAt" ELSE now() END,
             "consentSource" = ${source},
             "updatedAt" = now()
       WHERE "id" = ${contactId} AND "tenantId" = ${tenantId} AND "erasedAt" IS NULL AND "optedIn" IS DISTINCT FROM ${optedIn}
      RETURNING "id", "tenantId"
    ), audited AS (
      INSERT INTO "audit_logs" ("id", "actorUserId", "actorLabel", "action", "tenantId", "targetType", "targetId", "before", "after", "metadata")
      SELECT ${randomUUID()}, ${actorUserId}::text, ${actorLabel}::text, ${action}::text, "tenantId", 'contact', "id",
             jsonb_build_object('optedIn', NOT ${optedIn}::boolean), jsonb_build_object('optedIn', ${optedIn}::boolean),
             jsonb_build_object('source', ${source}::text)
      FROM changed
    )
    INSERT INTO "consent_records" ("id", "tenantId", "contactId", "optedIn", "source", "note")
    SELECT ${randomUUID()}, "tenantId", "id", ${optedIn}, ${source}, ${note ?? null} FROM changed
    RETURNING "contactId"`;
  if (rows.length === 0) {
    const exists = await db.contact.count({ where: { id: contactId, tenantId, erasedAt: null } });
    if (!exists) throw new AppError("NOT_FOUND", "Contact not found.", { contactId });
  }
  return rows.length > 0;
}

/** 131026 from Meta: the contact is skipped by later sends until an admin clears the flag. */
export async function flagNotOnWhatsApp({ db, contactId }: { db: Db; contactId: string }) {
  await db.contact.updateMany({ where: { id: contactId, notOnWhatsAppAt: null }, data: { notOnWhatsAppAt: new Date() } });
}

export async function clearNotOnWhatsApp({ db, contactId }: { db: Db; contactId: string }) {
  const { count } = await db.contact.updateMany({ where: { id: contactId }, data: { notOnWhatsAppAt: null } });
  if (!count) throw new AppError("NOT_FOUND", "Contact not found.", { contactId });
}

export type ContactFilter = "all" | "opted_in" | "opted_out" | "not_on_whatsapp";

export async function listContacts({
  db,
  tenantId,
  search,
  filter = "all",
  page = 1,
  pageSize = 50,
}: {
  db: Db;
  tenantId: string;
  search?: string;
  filter?: ContactFilter;
  page?: number;
  pageSize?: number;
}) {
  const term = search?.trim();
  const digits = term?.replace(/[^\d]/g, "");
  const where = {
    tenantId,
    erasedAt: null,
    ...(filter === "opted_in"
      ? { optedIn: true }
      : filter === "opted_out"
        ? { optedIn: false }
        : filter === "not_on_whatsapp"
          ? { notOnWhatsAppAt: { not: null } }
          : {}),
    ...(term
      ? { OR: [{ name: { contains: term, mode: "insensitive" as const } }, ...(digits ? [{ phoneE164: { contains: digits } }] : [])] }
      : {}),
  };
  const [total, contacts] = await Promise.all([
    db.contact.count({ where }),
    db.contact.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, page, pageSize, contacts };
}

export async function consentHistory({ db, tenantId, contactId }: { db: Db; tenantId: string; contactId: string }) {
  return db.consentRecord.findMany({ where: { tenantId, contactId }, orderBy: { createdAt: "desc" } });
}
