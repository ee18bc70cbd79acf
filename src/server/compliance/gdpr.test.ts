import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { phoneHash } from "@/server/compliance/gdpr";
import type { Db } from "@/server/db";
import { testDb } from "@/test/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";
import { masterAccount } from "@/test/messaging-world";

const db = testDb();

const uniquePhone = () => `+3462${String(Date.now()).slice(-5)}${String(Math.floor(Math.random() * 90) + 10)}`;

/** Every row of every text, varchar, text[] and jsonb column of the schema that contains `needle`, as "table.column". */
async function tablesHolding(db: Db, needle: string): Promise<string[]> {
  const columns = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
      AND (data_type IN ('text', 'character varying', 'jsonb', 'json') OR (data_type = 'ARRAY' AND udt_name = '_text'))`;
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE $1`,
      `%${needle}%`,
    );
    if (row!.n > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

/** A bakery with a number, one contact with consent, messages with statuses, a broadcast send and webhooks naming it. */
async function bakeryWithContact(phoneE164 = uniquePhone()) {
  const name = `Lucía ${randomUUID().slice(0, 8)}`;
  const { tenant, owner } = await createTenantWithOwner(db);
  const account = await masterAccount(db);
  const metaPhoneNumberId = `96${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const number = await db.phoneNumber.create({
    data: { metaPhoneNumberId, businessAccountId: account.id, displayPhoneNumber: "+34 600 000 000" },
  });
  await db.whatsAppSettings.update({ where: { tenantId: tenant.id }, data: { enabled: true, phoneNumberId: number.id } });
  const contact = await db.contact.create({
    data: { tenantId: tenant.id, phoneE164, name, optedIn: true, optedInAt: new Date(), tags: ["clientes"] },
  });
  await db.consentRecord.create({
    data: { tenantId: tenant.id, contactId: contact.id, optedIn: true, source: "manual", note: "by the counter" },
  });
  const message = (data: {
    direction: "OUTBOUND" | "INBOUND";
    body: string;
    status: "DELIVERED" | "RECEIVED" | "READ";
    contactId?: string;
  }) =>
    db.message.create({
      data: {
        tenantId: tenant.id,
        contactId: data.contactId ?? contact.id,
        phoneNumberId: number.id,
        direction: data.direction,
        type: "text",
        body: data.body,
        source: data.direction === "INBOUND" ? "webhook" : "ui",
        status: data.status,
        wamid: `wamid.gdpr.${randomUUID()}`,
      },
    });
  const sent = await message({ direction: "OUTBOUND", body: "Hola Lucía, your bread is ready", status: "READ" });
  await db.messageStatusEvent.createMany({
    data: [
      { messageId: sent.id, status: "SENT", occurredAt: new Date(Date.now() - 2000) },
      { messageId: sent.id, status: "READ", occurredAt: new Date() },
    ],
  });
  const inbound = await message({ direction: "INBOUND", body: `call me at ${phoneE164}`, status: "RECEIVED" });
  const broadcast = await db.broadcast.create({
    data: {
      tenantId: tenant.id,
      name: "Christmas",
      templateName: "promo",
      templateLanguage: "es",
      parameterSources: [],
      audience: { kind: "all" },
    },
  });
  await db.broadcastRecipient.create({
    data: { broadcastId: broadcast.id, seq: 1, contactId: contact.id, phoneE164, name, parameters: [name], status: "SENT" },
  });
  const digits = phoneE164.slice(1);
  const webhookPayload = { entry: [{ changes: [{ value: { contacts: [{ wa_id: digits, profile: { name } }] } }] }] };
  const event = await db.webhookEvent.create({
    data: { bodySha256: randomUUID(), object: "whatsapp_business_account", payload: webhookPayload, itemCount: 1 },
  });
  await db.webhookItem.create({
    data: {
      eventId: event.id,
      key: `gdpr:${randomUUID()}`,
      field: "messages",
      kind: "message",
      phoneNumberId: metaPhoneNumberId,
      payload: { from: digits, text: { body: "hola" } },
      status: "PROCESSED",
    },
  });
  return { tenant, owner, number, contact, name, messages: [sent, inbound] };
}

describe("GDPR: export a contact", () => {
  it("holds every message of the contact with its statuses, and nothing of other contacts or bakeries", async () => {
    const world = await bakeryWithContact();
    const other = await db.contact.create({ data: { tenantId: world.tenant.id, phoneE164: uniquePhone(), name: "Someone Else" } });
    await db.message.create({
      data: {
        tenantId: world.tenant.id,
        contactId: other.id,
        direction: "OUTBOUND",
        type: "text",
        body: "not for Lucía",
        source: "ui",
        status: "SENT",
      },
    });
    // the same person is also a contact of another bakery
    const otherBakery = await bakeryWithContact(world.contact.phoneE164);

    const owner = callerAs(db, world.owner);
    const json = await owner.gdpr.exportContact({ contactId: world.contact.id, format: "json" });
    expect(json).toMatchObject({ mimeType: "application/json" });
    const data = JSON.parse(json.content) as {
      contact: { id: string; phoneE164: string; name: string };
      consentRecords: { optedIn: boolean }[];
      messages: { id: string; body: string; statusHistory: { status: string }[] }[];
      broadcasts: { broadcast: string }[];
    };
    expect(data.contact).toMatchObject({ id: world.contact.id, phoneE164: world.contact.phoneE164, name: world.name });
    expect(data.consentRecords).toEqual([expect.objectContaining({ optedIn: true, source: "manual" })]);
    expect(data.messages.map((m) => m.id).sort()).toEqual(world.messages.map((m) => m.id).sort());
    expect(data.messages.find((m) => m.id === world.messages[0]!.id)!.statusHistory.map((s) => s.status)).toEqual(["SENT", "READ"]);
    expect(data.broadcasts).toEqual([expect.objectContaining({ broadcast: "Christmas" })]);
    expect(json.content).not.toContain("not for Lucía");
    for (const m of otherBakery.messages) expect(json.content).not.toContain(m.id);

    const csv = await owner.gdpr.exportContact({ contactId: world.contact.id, format: "csv" });
    expect(csv.mimeType).toBe("text/csv");
    const rows = Papa.parse<Record<string, string>>(csv.content, { header: true }).data;
    expect(rows.filter((r) => r.record === "contact")).toEqual([
      // CSV exports neutralise cells a spreadsheet would run: a phone begins with "+"
      expect.objectContaining({ phone: `'${world.contact.phoneE164}`, name: world.name }),
    ]);
    expect(rows.filter((r) => r.record === "consent")).toHaveLength(1);
    expect(
      rows
        .filter((r) => r.record === "message")
        .map((r) => r.text)
        .sort(),
    ).toEqual(["Hola Lucía, your bread is ready", `call me at ${world.contact.phoneE164}`].sort());
    expect(csv.content).not.toContain("not for Lucía");

    const audits = await db.auditLog.findMany({ where: { action: "gdpr.contact_exported", targetId: world.contact.id } });
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actorUserId: world.owner.id, tenantId: world.tenant.id });
  });

  it("refuses a contact of another bakery (NOT_FOUND) and writes nothing", async () => {
    const world = await bakeryWithContact();
    const stranger = await createTenantWithOwner(db);
    const caller = callerAs(db, stranger.owner);
    for (const attempt of [
      () => caller.gdpr.exportContact({ contactId: world.contact.id, format: "json" }),
      () => caller.gdpr.eraseContact({ contactId: world.contact.id }),
    ]) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
    }
    expect(await db.contact.findUniqueOrThrow({ where: { id: world.contact.id } })).toEqual(world.contact);
    expect(await db.auditLog.count({ where: { targetId: world.contact.id } })).toBe(0);
  });
});

describe("GDPR: erase a contact", () => {
  it("leaves the number in clear in no table, keeps the consent proof with the number hashed", async () => {
    const world = await bakeryWithContact();
    const phone = world.contact.phoneE164;
    const digits = phone.slice(1);
    expect((await tablesHolding(db, digits)).sort()).toEqual(
      expect.arrayContaining([
        "contacts.phoneE164",
        "messages.body",
        "broadcast_recipients.phoneE164",
        "webhook_items.payload",
        "webhook_events.payload",
      ]),
    );
    const consentBefore = await db.consentRecord.findMany({ where: { contactId: world.contact.id } });

    const result = await callerAs(db, world.owner).gdpr.eraseContact({ contactId: world.contact.id });
    expect(result).toMatchObject({
      phoneSha256: phoneHash(phone),
      messages: 2,
      broadcastRecipients: 1,
      webhookItems: 1,
      webhookBatches: 1,
    });

    expect(await tablesHolding(db, digits)).toEqual([]);
    expect(await tablesHolding(db, world.name)).toEqual([]);
    const erased = await db.contact.findUniqueOrThrow({ where: { id: world.contact.id } });
    expect(erased).toMatchObject({
      phoneE164: `erased:${phoneHash(phone)}`,
      name: null,
      tags: [],
      optedIn: false,
      erasedAt: expect.any(Date),
    });
    expect(await db.consentRecord.findMany({ where: { contactId: world.contact.id } })).toEqual(consentBefore);
    // the messages stay as a record that something was sent, without words
    expect(await db.message.count({ where: { contactId: world.contact.id, body: null } })).toBe(2);

    const [audit] = await db.auditLog.findMany({ where: { action: "gdpr.contact_erased", targetId: world.contact.id } });
    expect(audit).toMatchObject({ actorUserId: world.owner.id, tenantId: world.tenant.id, after: { phoneSha256: phoneHash(phone) } });

    // gone from the bakery's lists and audiences; a second erasure finds nothing
    const list = await callerAs(db, world.owner).contacts.list({});
    expect(list.contacts.map((c) => c.id)).not.toContain(world.contact.id);
    const again = await callerAs(db, world.owner)
      .gdpr.eraseContact({ contactId: world.contact.id })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((again as TRPCError).code).toBe("NOT_FOUND");
  });
});

describe("GDPR: a bakery owner's account (admin)", () => {
  it("exports the owner's account and erases it: the e-mail is left in no table, the bakery stays", async () => {
    const world = await bakeryWithContact();
    const admin = callerAs(db, await createAdmin(db));
    await callerAs(db, world.owner).contacts.setConsent({ contactId: world.contact.id, optedIn: false });

    const exported = await admin.gdpr.exportOwner({ userId: world.owner.id });
    const data = JSON.parse(exported.content) as { account: { email: string }; bakery: { id: string } };
    expect(data.account.email).toBe(world.owner.email);
    expect(data.bakery.id).toBe(world.tenant.id);
    expect(exported.content).not.toContain("scrypt");
    expect(await tablesHolding(db, world.owner.email)).toEqual(expect.arrayContaining(["users.email", "consent_records.note"]));

    await admin.gdpr.eraseOwner({ userId: world.owner.id });
    expect(await tablesHolding(db, world.owner.email)).toEqual([]);
    expect(await db.user.findUnique({ where: { id: world.owner.id } })).toBeNull();
    expect(await db.tenant.findUnique({ where: { id: world.tenant.id } })).not.toBeNull();
    expect(
      await db.auditLog.count({ where: { action: { in: ["gdpr.owner_exported", "gdpr.owner_erased"] }, targetId: world.owner.id } }),
    ).toBe(2);
    // the erased owner's session is refused
    const error = await callerAs(db, world.owner)
      .contacts.list({})
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });

  it("refuses an id that is not a bakery owner's", async () => {
    const admin = await createAdmin(db);
    const error = await callerAs(db, admin)
      .gdpr.eraseOwner({ userId: admin.id })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });
});
