/**
 * Inbound messages https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages: stored against the contact, opening the 24-hour window (Meta: messages/send-messages).
 * A STOP keyword opts the contact out once and sends one confirmation: the opt-out is a conditional UPDATE
 * (src/server/contacts/contacts.ts setConsent), so a repeated or concurrent STOP changes nothing and sends nothing.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { setConsent } from "@/server/contacts/contacts";
import { graphClientForAccount } from "@/server/accounts/graph";
import type { InboundMessage } from "@/server/whatsapp/webhook-payload";
import { addresseeOf, bsuidPlaceholder } from "@/server/contacts/bsuid";

/** Compared without case or accents, as the whole message (trailing punctuation ignored). */
export const stopKeywords = ["STOP", "BAJA", "PARAR", "ATURA", "GELDITU", "DETER", "UNSUBSCRIBE", "CANCELAR", "DESUSCRIBIR"];
export const startKeywords = ["START", "ALTA", "SUSCRIBIR"];

export function keywordOf(text: string | undefined): string | null {
  if (!text) return null;
  const word = text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .trim()
    .replace(/[.!¡¿?\s]+$/u, "")
    .replace(/^[¡¿\s]+/u, "")
    .toUpperCase();
  return word || null;
}

export const optOutConfirmation: Record<string, (bakery: string) => string> = {
  es: (b) => `Has dejado de recibir mensajes de ${b} por WhatsApp. Escribe ALTA si quieres volver a recibirlos.`,
  ca: (b) => `Ja no rebràs missatges de ${b} per WhatsApp. Escriu ALTA si els vols tornar a rebre.`,
  eu: (b) => `Ez duzu ${b}(r)en mezu gehiagorik jasoko WhatsAppen. Idatzi ALTA berriro jasotzeko.`,
  gl: (b) => `Deixaches de recibir mensaxes de ${b} por WhatsApp. Escribe ALTA se queres volver recibilos.`,
  en: (b) => `You will no longer receive WhatsApp messages from ${b}. Reply START to receive them again.`,
};

export async function handleInboundMessage({
  db,
  metaPhoneNumberId,
  message,
}: {
  db: Db;
  metaPhoneNumberId: string;
  message: InboundMessage;
}) {
  const from = message.from ?? message.contact?.waId;
  const userId = message.fromUserId ?? message.contact?.userId ?? null;
  if (!from && !userId) return { stored: false as const, reason: "sender without a phone number or a user id" };
  const number = await db.phoneNumber.findUnique({
    where: { metaPhoneNumberId },
    select: {
      id: true,
      businessAccount: true,
      assignment: { select: { tenantId: true, language: true, tenant: { select: { name: true } } } },
    },
  });
  const tenantId = number?.assignment?.tenantId;
  if (!number || !tenantId) return { stored: false as const, reason: "number not assigned to a bakery" };

  const at = new Date(message.timestamp * 1000);
  const phoneE164 = from ? `+${from.replace(/\D/g, "")}` : null;
  const contact = await upsertInboundContact(db, {
    tenantId,
    phoneE164,
    userId,
    username: message.contact?.username ?? null,
    name: message.contact?.name ?? null,
    at,
  });
  if (!contact) throw new Error("contact upsert returned nothing");

  const text = message.text ?? message.button?.text ?? message.interactive?.title;
  const inserted = await db.$executeRaw`
    INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "body", "source", "wamid", "status", "statusRank", "statusAt", "createdAt")
    VALUES (${randomUUID()}, ${tenantId}, ${number.id}, ${contact.id}, 'INBOUND', ${message.type}, ${text ?? null}, 'webhook', ${message.messageId}, 'RECEIVED', 0, ${at}, ${at})
    ON CONFLICT ("wamid") DO NOTHING`;

  const keyword = keywordOf(text);
  if (keyword && stopKeywords.includes(keyword)) {
    const changed = await setConsent({
      db,
      tenantId,
      contactId: contact.id,
      optedIn: false,
      source: "webhook_stop",
      note: `"${text}" received (${message.messageId})`,
    });
    if (changed) {
      const language = number.assignment?.language ?? "es";
      const body = (optOutConfirmation[language] ?? optOutConfirmation.es!)(number.assignment?.tenant.name ?? "");
      await sendSystemText({
        db,
        tenantId,
        phoneNumberId: number.id,
        metaPhoneNumberId,
        account: number.businessAccount,
        contactId: contact.id,
        to: contact.addressee,
        body,
        idempotencyKey: `opt-out-confirmation:${message.messageId}`,
      });
    }
    return { stored: inserted > 0, contactId: contact.id, optedOut: changed };
  }
  if (keyword && startKeywords.includes(keyword)) {
    await setConsent({
      db,
      tenantId,
      contactId: contact.id,
      optedIn: true,
      source: "webhook_start",
      note: `"${text}" received (${message.messageId})`,
    });
  }
  return { stored: inserted > 0, contactId: contact.id, optedOut: false };
}

/**
 * A service reply that must go out even though the contact just opted out (the confirmation itself): inside the
 * window the STOP opened, logged like any message, once per idempotency key.
 */
async function sendSystemText({
  db,
  tenantId,
  phoneNumberId,
  metaPhoneNumberId,
  account,
  contactId,
  to,
  body,
  idempotencyKey,
}: {
  db: Db;
  tenantId: string;
  phoneNumberId: string;
  metaPhoneNumberId: string;
  account: Parameters<typeof graphClientForAccount>[0];
  contactId: string;
  to: { to: string } | { recipient: string };
  body: string;
  idempotencyKey: string;
}) {
  const id = randomUUID();
  const inserted = await db.$executeRaw`
    INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "body", "source", "idempotencyKey", "status", "statusRank")
    VALUES (${id}, ${tenantId}, ${phoneNumberId}, ${contactId}, 'OUTBOUND', 'text', ${body}, 'system', ${idempotencyKey}, 'PENDING', 0)
    ON CONFLICT ("tenantId", "idempotencyKey") DO NOTHING`;
  if (inserted === 0) return;
  try {
    const sent = await graphClientForAccount(account).sendTextMessage({
      phoneNumberId: metaPhoneNumberId,
      ...to,
      body,
      bizOpaqueCallbackData: id,
    });
    await db.message.update({ where: { id }, data: { wamid: sent.messageId, status: "ACCEPTED", statusRank: 1, statusAt: new Date() } });
  } catch (error) {
    await db.message.update({
      where: { id },
      data: {
        status: "FAILED",
        statusRank: 5,
        appErrorCode: (error as { code?: string }).code ?? "INTERNAL_ERROR",
        errorTitle: (error as Error).message.slice(0, 200),
      },
    });
  }
}

/**
 * The contact of an inbound message, matched by phone number or by BSUID (Meta: business-scoped-user-ids), created
 * when neither is known; opens (moves forward) the 24-hour window. A username user who shares no number is a
 * contact with its BSUID only; when the same BSUID later arrives with a number, that contact gets the number.
 */
async function upsertInboundContact(
  db: Db,
  c: { tenantId: string; phoneE164: string | null; userId: string | null; username: string | null; name: string | null; at: Date },
): Promise<{ id: string; addressee: { to: string } | { recipient: string } }> {
  const { tenantId, phoneE164, userId, username, name, at } = c;
  let row: { id: string; phoneE164: string; userId: string | null } | undefined;
  if (phoneE164) {
    // a contact known by this BSUID only learns its number (unless another contact already has that number)
    if (userId) {
      await db.$executeRaw`
        UPDATE "contacts" SET "phoneE164" = ${phoneE164}, "updatedAt" = now()
         WHERE "tenantId" = ${tenantId} AND "userId" = ${userId} AND "phoneE164" = ${bsuidPlaceholder(userId)}
           AND NOT EXISTS (SELECT 1 FROM "contacts" o WHERE o."tenantId" = ${tenantId} AND o."phoneE164" = ${phoneE164})`;
    }
    [row] = await db.$queryRaw<{ id: string; phoneE164: string; userId: string | null }[]>`
      INSERT INTO "contacts" ("id", "tenantId", "phoneE164", "name", "lastInboundAt", "userId", "username", "updatedAt")
      VALUES (${randomUUID()}, ${tenantId}, ${phoneE164}, ${name}, ${at},
              CASE WHEN EXISTS (SELECT 1 FROM "contacts" o WHERE o."tenantId" = ${tenantId} AND o."userId" = ${userId}::text) THEN NULL ELSE ${userId}::text END,
              ${username}, now())
      ON CONFLICT ("tenantId", "phoneE164") DO UPDATE
        SET "lastInboundAt" = GREATEST("contacts"."lastInboundAt", EXCLUDED."lastInboundAt"),
            "name" = COALESCE("contacts"."name", EXCLUDED."name"),
            "username" = COALESCE(EXCLUDED."username", "contacts"."username"),
            "userId" = CASE WHEN "contacts"."userId" IS NULL AND NOT EXISTS (
                              SELECT 1 FROM "contacts" o WHERE o."tenantId" = ${tenantId} AND o."userId" = ${userId}::text)
                            THEN ${userId}::text ELSE "contacts"."userId" END,
            "updatedAt" = now()
      RETURNING "id", "phoneE164", "userId"`;
  } else {
    const bsuid = userId!;
    [row] = await db.$queryRaw<{ id: string; phoneE164: string; userId: string | null }[]>`
      INSERT INTO "contacts" ("id", "tenantId", "phoneE164", "name", "lastInboundAt", "userId", "username", "updatedAt")
      VALUES (${randomUUID()}, ${tenantId}, ${bsuidPlaceholder(bsuid)}, ${name}, ${at}, ${bsuid}, ${username}, now())
      ON CONFLICT ("tenantId", "userId") DO UPDATE
        SET "lastInboundAt" = GREATEST("contacts"."lastInboundAt", EXCLUDED."lastInboundAt"),
            "name" = COALESCE("contacts"."name", EXCLUDED."name"),
            "username" = COALESCE(EXCLUDED."username", "contacts"."username"),
            "updatedAt" = now()
      RETURNING "id", "phoneE164", "userId"`;
  }
  if (!row) throw new Error("contact upsert returned nothing");
  return { id: row.id, addressee: addresseeOf(row) ?? { to: row.phoneE164 } };
}
