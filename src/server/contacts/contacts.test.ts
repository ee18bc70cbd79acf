import { describe, expect, it } from "vitest";
import { createContact, setConsent } from "@/server/contacts/contacts";
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
    expect(error.details).toMatchObject({ provided: "555-1234", expected_format: "+34612345678" });
    expect(error.details.example).toContain("+34612345678");
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
      { row: 4, value: "+1555", reason: expect.stringContaining("Invalid phone format") },
      { row: 5, value: "", reason: "Phone number required" },
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
