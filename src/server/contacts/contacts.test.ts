import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createContact, exportContactsCsv, listContacts, listTags, setConsent, updateContactTags } from "@/server/contacts/contacts";
import { countAudience } from "@/server/broadcasts/audience";
import { decodeCsvBytes, readContactsCsv } from "@/lib/contacts-csv";
import { importContactsCsv, parseContactsCsv } from "@/server/contacts/import";
import { testDb } from "@/test/db";
import { createTenantWithOwner } from "@/test/fixtures";

describe("contacts", () => {
  it("normalises numbers typed without + in the tenant's region and refuses invalid ones with given, expected and an example", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const contact = await createContact({ db, tenantId: tenant.id, phone: "612 34 56 78", name: "Ana" });
    expect(contact.phoneE164).toBe("+34612345678");

    const error = await createContact({ db, tenantId: tenant.id, phone: "555-1234" }).catch((e) => e);
    expect(error.code).toBe("INVALID_PHONE_FORMAT");
    expect(error.message).toBe("Phone number must be in E.164 format");
    expect(error.details).toMatchObject({
      field: "phone",
      provided: "555-1234",
      expected_format: "+34612345678",
      example_display: "+34 612 34 56 78",
      region: "ES",
    });
    expect(error.details.example).toContain("a number from Spain");
    expect(error.details.example).not.toContain("a ES number");
    expect(await db.contact.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("keeps every consent change as a record and applies a concurrent opt-out once", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const contact = await createContact({ db, tenantId: tenant.id, phone: "+34600000001", optedIn: true });
    expect(contact.optedIn).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => setConsent({ db, tenantId: tenant.id, contactId: contact.id, optedIn: false, source: "manual" })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const records = await db.consentRecord.findMany({ where: { contactId: contact.id }, orderBy: { createdAt: "asc" } });
    expect(records.map((r) => r.optedIn)).toEqual([true, false]);
    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.optedIn).toBe(false);
    expect(after.optedOutAt).toBeInstanceOf(Date);
  });

  it("records how a manual opt-in was obtained with the consent record and in the audit entry", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const contact = await createContact({ db, tenantId: tenant.id, phone: "+34600000011" });
    expect(
      await setConsent({ db, tenantId: tenant.id, contactId: contact.id, optedIn: true, source: "manual", method: "paper_form" }),
    ).toBe(true);
    const [record] = await db.consentRecord.findMany({ where: { contactId: contact.id } });
    expect(record).toMatchObject({ optedIn: true, source: "manual", method: "paper_form" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { targetId: contact.id, action: "contact.opt_in" } });
    expect(audit.metadata).toEqual({ source: "manual", method: "paper_form" });
  });

  it("a contact of another tenant cannot be changed", async () => {
    const db = testDb();
    const { tenant: a } = await createTenantWithOwner(db);
    const { tenant: b } = await createTenantWithOwner(db);
    const contact = await createContact({ db, tenantId: a.id, phone: "+34600000002" });
    await expect(setConsent({ db, tenantId: b.id, contactId: contact.id, optedIn: true, source: "manual" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("CSV import", () => {
  const csv = [
    "phone,name,opted_in",
    "+34612000001,Harinas del Norte,yes",
    '612000002,"Lácteos, S.L.",no',
    "+1555,Broken,yes",
    ",No phone,yes",
    "",
    "+34 612 000 001,Same as row 2,yes",
    "0034612000003,Huevos Goiko,si",
  ].join("\n");

  it("imports valid rows, counts duplicates, reports invalid rows with row, value and reason; re-importing changes nothing", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const report = await importContactsCsv({ db, tenantId: tenant.id, csv });
    expect(report).toMatchObject({ processed: 6, imported: 3, duplicates: 1, errors: 2 });
    expect(report.errorDetails).toEqual([
      {
        row: 4,
        value: "+1555",
        code: "phone_invalid",
        region: "ES",
        example: "+34 612 34 56 78",
        reason:
          'Not a valid phone number: write + and the country code, e.g. +34 612 34 56 78 (without "+" it is read as a number from Spain)',
      },
      { row: 5, value: "", code: "phone_missing", reason: "Phone number required" },
    ]);
    const contacts = await db.contact.findMany({ where: { tenantId: tenant.id }, orderBy: { phoneE164: "asc" } });
    expect(contacts.map((c) => [c.phoneE164, c.name, c.optedIn])).toEqual([
      ["+34612000001", "Harinas del Norte", true],
      ["+34612000002", "Lácteos, S.L.", false],
      ["+34612000003", "Huevos Goiko", true],
    ]);
    expect(await db.consentRecord.count({ where: { tenantId: tenant.id, source: "import" } })).toBe(2);

    const again = await importContactsCsv({ db, tenantId: tenant.id, csv });
    expect(again).toMatchObject({ processed: 6, imported: 0, duplicates: 4, errors: 2 });
    expect(await db.contact.count({ where: { tenantId: tenant.id } })).toBe(3);
    expect(await db.consentRecord.count({ where: { tenantId: tenant.id } })).toBe(2);
  });

  it("handles 10,000 rows", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const lines = ["phone,name"];
    for (let i = 0; i < 10_000; i++) lines.push(`+3461${String(i).padStart(7, "0")},Customer ${i}`);
    const started = Date.now();
    const report = await importContactsCsv({ db, tenantId: tenant.id, csv: lines.join("\n") });
    expect(report).toMatchObject({ processed: 10_000, imported: 10_000, duplicates: 0, errors: 0 });
    expect(await db.contact.count({ where: { tenantId: tenant.id } })).toBe(10_000);
    console.log(`10,000-row import: ${Date.now() - started} ms`);
  });

  it("refuses a file without a phone column, naming the columns it found", () => {
    expect(() => parseContactsCsv("nombre,email\nAna,a@b.c")).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED", details: expect.objectContaining({ found_columns: ["nombre", "email"] }) }),
    );
  });
});

describe("tags", () => {
  it("adds and removes tags on one contact, stored trimmed and in lower case; a bad tag changes nothing", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const contact = await createContact({ db, tenantId: tenant.id, phone: "+34611000001" });
    const added = await updateContactTags({ db, tenantId: tenant.id, contactIds: [contact.id], add: ["  Clientes  VIP ", "mayoristas"] });
    expect(added).toEqual({ updated: 1, contacts: [{ id: contact.id, tags: ["clientes vip", "mayoristas"] }] });
    await updateContactTags({ db, tenantId: tenant.id, contactIds: [contact.id], add: ["mayoristas"], remove: ["Clientes VIP"] });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(["mayoristas"]);

    const bad = await updateContactTags({ db, tenantId: tenant.id, contactIds: [contact.id], add: ["ok", "=HYPERLINK()"] }).catch((e) => e);
    expect(bad).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "tags", provided: "=HYPERLINK()", example: "clientes" } });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(["mayoristas"]);
  });

  it("tags several contacts at once, never a contact of another bakery; lists tags with counts and filters by tag", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const { tenant: other } = await createTenantWithOwner(db);
    const mine = await Promise.all([1, 2, 3].map((i) => createContact({ db, tenantId: tenant.id, phone: `+3461100010${i}` })));
    const theirs = await createContact({ db, tenantId: other.id, phone: "+34611000109" });
    const result = await updateContactTags({
      db,
      tenantId: tenant.id,
      contactIds: [mine[0]!.id, mine[1]!.id, theirs.id],
      add: ["clientes"],
    });
    expect(result.updated).toBe(2);
    expect((await db.contact.findUniqueOrThrow({ where: { id: theirs.id } })).tags).toEqual([]);
    await expect(updateContactTags({ db, tenantId: tenant.id, contactIds: [theirs.id], add: ["x"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listTags({ db, tenantId: tenant.id })).toEqual([{ tag: "clientes", contacts: 2 }]);
    const filtered = await listContacts({ db, tenantId: tenant.id, tag: "Clientes" });
    expect(filtered.contacts.map((c) => c.id).sort()).toEqual([mine[0]!.id, mine[1]!.id].sort());
  });

  it("the broadcast audience 'contacts with a tag' counts the tagged, opted-in contacts of the bakery only", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const { tenant: other } = await createTenantWithOwner(db);
    const inA = await createContact({ db, tenantId: tenant.id, phone: "+34611000201", optedIn: true });
    const inB = await createContact({ db, tenantId: tenant.id, phone: "+34611000202", optedIn: true });
    const out = await createContact({ db, tenantId: tenant.id, phone: "+34611000203" });
    await createContact({ db, tenantId: tenant.id, phone: "+34611000204", optedIn: true }); // not tagged
    const foreign = await createContact({ db, tenantId: other.id, phone: "+34611000205", optedIn: true });
    await updateContactTags({ db, tenantId: tenant.id, contactIds: [inA.id, inB.id, out.id], add: ["clientes"] });
    await updateContactTags({ db, tenantId: other.id, contactIds: [foreign.id], add: ["clientes"] });
    await setConsent({ db, tenantId: tenant.id, contactId: inB.id, optedIn: false, source: "manual" });

    const counts = await countAudience({ db, tenantId: tenant.id, audience: { kind: "tag", tag: "clientes" }, region: "ES" });
    expect(counts).toEqual({ eligible: 1, excludedOptedOut: 2, excludedNotOnWhatsApp: 0, excludedInvalid: 0 });
    // typed as the owner sees it in the broadcast form
    expect(await countAudience({ db, tenantId: tenant.id, audience: { kind: "tag", tag: " Clientes " }, region: "ES" })).toEqual(counts);
    expect((await countAudience({ db, tenantId: tenant.id, audience: { kind: "tag", tag: "mayoristas" }, region: "ES" })).eligible).toBe(0);
  });

  it("a tags column in the CSV import tags new contacts and adds to existing ones; the export writes it back", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const existing = await createContact({ db, tenantId: tenant.id, phone: "+34612000101", name: "Ana" });
    await updateContactTags({ db, tenantId: tenant.id, contactIds: [existing.id], add: ["vip"] });
    const csv = ["phone;name;tags", "+34612000101;Ana;clientes", "612000102;Lácteos;Clientes, Mayoristas", "612000103;Bad;=cmd"].join("\n");
    const report = await importContactsCsv({ db, tenantId: tenant.id, csv });
    expect(report).toMatchObject({ processed: 3, imported: 1, duplicates: 1, errors: 1 });
    expect(report.errorDetails[0]).toMatchObject({ row: 4, code: "tag_invalid", value: "=cmd" });
    const rows = await db.contact.findMany({ where: { tenantId: tenant.id }, orderBy: { phoneE164: "asc" } });
    expect(rows.map((r) => [r.phoneE164, r.name, r.tags])).toEqual([
      ["+34612000101", "Ana", ["clientes", "vip"]],
      ["+34612000102", "Lácteos", ["clientes", "mayoristas"]],
    ]);
    // the same file again changes nothing
    const again = await importContactsCsv({ db, tenantId: tenant.id, csv });
    expect(again).toMatchObject({ imported: 0, duplicates: 2, errors: 1 });

    const spanish = await exportContactsCsv({ db, tenantId: tenant.id, locale: "es" });
    expect(spanish.startsWith("\uFEFFphone;user_id;username;name;opted_in;marketing_stopped;tags\r\n")).toBe(true);
    expect(spanish).toContain(`"'+34612000102";;;Lácteos;no;no;clientes, mayoristas`);
    const english = await exportContactsCsv({ db, tenantId: tenant.id, locale: "en" });
    expect(english.startsWith("phone,user_id,username,name,opted_in,marketing_stopped,tags\r\n")).toBe(true);
    expect(english).toContain(`"'+34612000101",,,Ana,no,no,"clientes, vip"`);
    // an exported file imports back into the same contacts and tags (the phones' leading ' is dropped)
    const back = readContactsCsv(spanish);
    expect(back.ok && back.rows.map((r) => [r.phone, r.tags])).toEqual([
      ["+34612000101", "clientes, vip"],
      ["+34612000102", "clientes, mayoristas"],
    ]);
  });
});

describe("CSV encoding", () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(join(process.cwd(), "e2e/fixtures", name)));

  it("reads a file Excel on Windows saved in Windows-1252 (teléfono, Lácteos) as Windows-1252", async () => {
    const bytes = fixture("contactos-windows-1252.csv");
    expect(bytes.includes(0xe9)).toBe(true); // é as one byte: not UTF-8
    const { text, encoding } = decodeCsvBytes(bytes);
    expect(encoding).toBe("windows-1252");
    expect(text.split(/\r?\n/)[0]).toBe("nombre;teléfono;etiquetas");
    const parsed = readContactsCsv(text);
    expect(parsed.ok && parsed.rows[0]).toEqual({ row: 2, phone: "612 000 301", name: "Lácteos Muñoz", tags: "clientes" });

    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const report = await importContactsCsv({ db, tenantId: tenant.id, csv: text });
    expect(report).toMatchObject({ imported: 3, errors: 0 });
    expect((await db.contact.findFirstOrThrow({ where: { tenantId: tenant.id, phoneE164: "+34612000301" } })).name).toBe("Lácteos Muñoz");
  });

  it("reads UTF-8 with and without a byte-order mark as UTF-8", () => {
    const body = "nombre,teléfono\nÀngels Puig,612000401\n";
    const plain = new TextEncoder().encode(body);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeCsvBytes(plain)).toEqual({ text: body, encoding: "utf-8" });
    expect(decodeCsvBytes(withBom)).toEqual({ text: body, encoding: "utf-8" });
    const parsed = readContactsCsv(decodeCsvBytes(withBom).text);
    expect(parsed.ok && parsed.rows).toEqual([{ row: 2, phone: "612000401", name: "Àngels Puig" }]);
  });
});
