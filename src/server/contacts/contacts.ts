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
import { phoneOf } from "@/server/contacts/bsuid";
import { writeCsv } from "@/lib/csv-export";
import type { OptInMethod } from "@/lib/consent";

export type ConsentSource = "manual" | "import" | "api" | "webhook_stop" | "webhook_start" | "admin";

export { optInMethods, type OptInMethod } from "@/lib/consent";

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
  method,
  note,
  actor,
}: {
  db: Db;
  tenantId: string;
  contactId: string;
  optedIn: boolean;
  source: ConsentSource;
  /** how a manual opt-in was obtained (in the shop, a paper form, ...) */
  method?: OptInMethod;
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
             jsonb_strip_nulls(jsonb_build_object('source', ${source}::text, 'method', ${method ?? null}::text))
      FROM changed
    )
    INSERT INTO "consent_records" ("id", "tenantId", "contactId", "optedIn", "source", "method", "note")
    SELECT ${randomUUID()}, "tenantId", "id", ${optedIn}, ${source}, ${method ?? null}, ${note ?? null} FROM changed
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

// --- tags ---------------------------------------------------------------------------------------------------

export const tagLimits = { length: 40, perContact: 20, contactsPerCall: 1000 };
const tagPattern = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;

/**
 * A tag as stored: trimmed, lower case, inner spaces collapsed ("  Clientes  VIP " → "clientes vip"), so a
 * broadcast to "Clientes" finds the contacts tagged "clientes". A tag that is empty, too long or made of other
 * characters is refused with the tag, what is allowed and an example; nothing is changed.
 */
export function normalizeTag(raw: string): string {
  const tag = raw.trim().replace(/\s+/g, " ").toLowerCase();
  if (!tag || tag.length > tagLimits.length || !tagPattern.test(tag)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `Tag "${raw.slice(0, 60)}": expected letters, digits, spaces, - or _, at most ${tagLimits.length} characters, e.g. "clientes"`,
      {
        field: "tags",
        provided: raw.slice(0, 60),
        expected: `letters, digits, spaces, - or _ (at most ${tagLimits.length})`,
        example: "clientes",
      },
    );
  }
  return tag;
}

export function normalizeTags(raw: string[]): string[] {
  return [...new Set(raw.map(normalizeTag))];
}

/** A CSV cell of tags: "clientes, vip" or "clientes|vip" (the export writes "clientes, vip"). */
export function tagsFromCell(cell: string | undefined): string[] {
  if (!cell) return [];
  return normalizeTags(cell.split(/[,|;]/).filter((t) => t.trim()));
}

/**
 * Adds and removes tags on contacts of the bakery, one or many at once, in one statement (a contact of another
 * bakery or an erased one is not touched). Answers how many contacts were changed.
 */
export async function updateContactTags({
  db,
  tenantId,
  contactIds,
  add = [],
  remove = [],
}: {
  db: Db;
  tenantId: string;
  contactIds: string[];
  add?: string[];
  remove?: string[];
}): Promise<{ updated: number; contacts: { id: string; tags: string[] }[] }> {
  const toAdd = normalizeTags(add);
  const toRemove = normalizeTags(remove);
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return { updated: 0, contacts: [] };
  // one transaction: a change that would leave a contact with too many tags is rolled back for every contact
  const rows = await db.$transaction(async (tx) => {
    const changed = await tx.$queryRaw<{ id: string; tags: string[] }[]>`
      UPDATE "contacts" c
         SET "tags" = ARRAY(SELECT DISTINCT t FROM unnest(c."tags" || ${toAdd}::text[]) AS t WHERE t <> ALL(${toRemove}::text[]) ORDER BY t),
             "updatedAt" = now()
       WHERE c."tenantId" = ${tenantId} AND c."id" = ANY(${ids}::text[]) AND c."erasedAt" IS NULL
      RETURNING c."id", c."tags"`;
    const tooMany = changed.find((r) => r.tags.length > tagLimits.perContact);
    if (tooMany) {
      throw new AppError("VALIDATION_FAILED", `A contact may have at most ${tagLimits.perContact} tags; remove some first.`, {
        field: "tags",
        contactId: tooMany.id,
        max: tagLimits.perContact,
      });
    }
    return changed;
  });
  if (ids.length === 1 && rows.length === 0) throw new AppError("NOT_FOUND", "Contact not found.", { contactId: ids[0] });
  return { updated: rows.length, contacts: rows };
}

/** The bakery's tags with how many contacts carry each (for the filter and the broadcast audience). */
export async function listTags({ db, tenantId }: { db: Db; tenantId: string }) {
  return db.$queryRaw<{ tag: string; contacts: number }[]>`
    SELECT t AS tag, count(*)::int AS contacts
      FROM "contacts" c, unnest(c."tags") AS t
     WHERE c."tenantId" = ${tenantId} AND c."erasedAt" IS NULL
     GROUP BY t ORDER BY t`;
}

export async function listContacts({
  db,
  tenantId,
  search,
  filter = "all",
  tag,
  page = 1,
  pageSize = 50,
}: {
  db: Db;
  tenantId: string;
  search?: string;
  filter?: ContactFilter;
  /** only contacts carrying this tag */
  tag?: string;
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
    ...(tag ? { tags: { has: normalizeTag(tag) } } : {}),
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

/**
 * The bakery's contacts as CSV, in the columns the import reads (phone, name, opted_in, tags), so an exported
 * file can be edited and imported again. `separator` and the BOM follow the user's spreadsheet (csv-export.ts).
 */
export async function exportContactsCsv({ db, tenantId, locale }: { db: Db; tenantId: string; locale?: string }) {
  const contacts = await db.contact.findMany({
    where: { tenantId, erasedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { phoneE164: true, userId: true, username: true, name: true, optedIn: true, marketingOptedOutAt: true, tags: true },
  });
  return writeCsv({
    fields: ["phone", "user_id", "username", "name", "opted_in", "marketing_stopped", "tags"],
    data: contacts.map((c) => [
      phoneOf(c.phoneE164) ?? "",
      c.userId ?? "",
      c.username ?? "",
      c.name ?? "",
      c.optedIn ? "yes" : "no",
      c.marketingOptedOutAt ? "yes" : "no",
      c.tags.join(", "),
    ]),
    locale,
  });
}

export async function consentHistory({ db, tenantId, contactId }: { db: Db; tenantId: string; contactId: string }) {
  return db.consentRecord.findMany({ where: { tenantId, contactId }, orderBy: { createdAt: "desc" } });
}
