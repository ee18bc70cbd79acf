import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { assignPhoneNumber, unassignPhoneNumber } from "@/server/numbers/assignment";
import { listTenantsWithWhatsApp } from "@/server/numbers/queries";
import { updateWhatsAppSettings } from "@/server/tenants/whatsapp-settings";
import { testDb } from "@/test/db";
import { createMasterNumber, createTenantWithOwner } from "@/test/fixtures";

const actor = { userId: null, label: "admin@test.recado" };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as AppError,
  );

describe("assigning numbers to bakeries", () => {
  it("assigns a free number and records who, when, which tenant and number, before and after", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db, "Panadería Uno");
    const number = await createMasterNumber(db);
    const result = await assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: number.id });
    expect(result).toMatchObject({ tenantName: "Panadería Uno", displayPhoneNumber: number.displayPhoneNumber, alreadyAssigned: false });
    expect((await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId: tenant.id } })).phoneNumberId).toBe(number.id);

    const audit = await db.auditLog.findMany({ where: { tenantId: tenant.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "phone_number.assigned",
      actorLabel: "admin@test.recado",
      targetId: number.id,
      before: { phoneNumberId: null },
      after: { phoneNumberId: number.id, displayPhoneNumber: number.displayPhoneNumber },
    });

    // assigning it again to the same bakery is a no-op, not a second audit entry
    expect(await assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: number.id })).toMatchObject({ alreadyAssigned: true });
    expect(await db.auditLog.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("refuses a number held by another tenant, naming that tenant, and changes nothing", async () => {
    const db = testDb();
    const { tenant: holder } = await createTenantWithOwner(db, "Panadería San Juan Test");
    const { tenant: other } = await createTenantWithOwner(db);
    const number = await createMasterNumber(db);
    await assignPhoneNumber({ db, actor, tenantId: holder.id, phoneNumberId: number.id });

    const error = await failure(assignPhoneNumber({ db, actor, tenantId: other.id, phoneNumberId: number.id }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(
      `${number.displayPhoneNumber} is already assigned to another bakery: Panadería San Juan Test. Unassign it there first.`,
    );
    expect(error.details).toEqual({ assignedTenantId: holder.id, assignedTenantName: "Panadería San Juan Test" });
    expect((await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId: other.id } })).phoneNumberId).toBeNull();
    expect(await db.auditLog.count({ where: { tenantId: other.id } })).toBe(0);
  });

  it("keeps one number per bakery: a second number needs an unassign first", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db, "Forn Dos");
    const [first, second] = [await createMasterNumber(db), await createMasterNumber(db)];
    await assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: first.id });
    const error = await failure(assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: second.id }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain(`Forn Dos already has ${first.displayPhoneNumber}`);
  });

  it("asks for confirmation before assigning a banned or unregistered number", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const banned = await createMasterNumber(db, { status: "BANNED", healthStatus: "BLOCKED" });
    const pending = await createMasterNumber(db, { status: "PENDING", platformType: "NOT_APPLICABLE" });

    const error = await failure(assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: banned.id }));
    expect(error.code).toBe("CONFIRMATION_REQUIRED");
    expect(error.details.warnings).toEqual(["This number is banned by WhatsApp: nothing sent from it will be delivered."]);
    const pendingError = await failure(assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: pending.id }));
    expect((pendingError.details.warnings as string[])[0]).toContain("not registered with the Cloud API yet");
    // the UI words them from these codes (admin.json warning.<code>), not from the English sentences
    expect(error.details.warning_codes).toEqual(["banned"]);
    expect(pendingError.details.warning_codes).toEqual(["notRegistered"]);
    expect((await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId: tenant.id } })).phoneNumberId).toBeNull();

    await assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: pending.id, acknowledgeWarnings: true });
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(audit.metadata).toEqual({ acknowledgedWarnings: pendingError.details.warnings });
  });

  it("lets exactly one of two admins win when both assign the same number at the same moment", async () => {
    const db = testDb();
    for (let round = 0; round < 5; round++) {
      const [{ tenant: a }, { tenant: b }] = await Promise.all([
        createTenantWithOwner(db, `Race A${round}`),
        createTenantWithOwner(db, `Race B${round}`),
      ]);
      const number = await createMasterNumber(db);
      const results = await Promise.allSettled([
        assignPhoneNumber({ db, actor, tenantId: a.id, phoneNumberId: number.id }),
        assignPhoneNumber({ db, actor, tenantId: b.id, phoneNumberId: number.id }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = (won[0] as PromiseFulfilledResult<{ tenantName: string }>).value.tenantName;
      expect((lost[0]!.reason as AppError).code).toBe("CONFLICT");
      expect((lost[0]!.reason as AppError).message).toContain(`another bakery: ${winner}.`);
      expect(await db.whatsAppSettings.count({ where: { phoneNumberId: number.id } })).toBe(1);
      expect(await db.auditLog.count({ where: { targetId: number.id } })).toBe(1);
    }
  });

  it("lets exactly one number win when two admins give the same bakery different numbers at once", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db);
    const [x, y] = [await createMasterNumber(db), await createMasterNumber(db)];
    const results = await Promise.allSettled([
      assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: x.id }),
      assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: y.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.auditLog.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("unassigns with an audit entry, and says so when there is nothing to unassign", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db, "Obrador Tres");
    const number = await createMasterNumber(db);
    await assignPhoneNumber({ db, actor, tenantId: tenant.id, phoneNumberId: number.id });
    await unassignPhoneNumber({ db, actor, tenantId: tenant.id });
    expect((await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId: tenant.id } })).phoneNumberId).toBeNull();
    const last = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id }, orderBy: { createdAt: "desc" } });
    expect(last).toMatchObject({ action: "phone_number.unassigned", after: { phoneNumberId: null } });

    const error = await failure(unassignPhoneNumber({ db, actor, tenantId: tenant.id }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("Obrador Tres has no phone number assigned.");
  });
});

describe("tenant list and settings", () => {
  it("searches bakeries by name, case-insensitively, a page at a time", async () => {
    const db = testDb();
    const marker = `Zz${Date.now()}`;
    for (const name of ["Alfa", "Beta", "Gamma"]) await createTenantWithOwner(db, `${marker} ${name}`);
    const page1 = await listTenantsWithWhatsApp({ db, search: marker.toLowerCase(), page: 1, pageSize: 2 });
    expect(page1.total).toBe(3);
    expect(page1.tenants.map((t) => t.name)).toEqual([`${marker} Alfa`, `${marker} Beta`]);
    const page2 = await listTenantsWithWhatsApp({ db, search: marker, page: 2, pageSize: 2 });
    expect(page2.tenants.map((t) => t.name)).toEqual([`${marker} Gamma`]);
  });

  it("saves an owner's toggle and language with an audit entry, and refuses an unknown language", async () => {
    const db = testDb();
    const { tenant, owner } = await createTenantWithOwner(db);
    const ownerActor = { userId: owner.id, label: owner.email };
    const saved = await updateWhatsAppSettings({ db, actor: ownerActor, tenantId: tenant.id, enabled: true, language: "eu" });
    expect(saved).toMatchObject({ enabled: true, language: "eu", sendingState: "NO_NUMBER" });
    expect(await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id } })).toMatchObject({
      action: "whatsapp_settings.updated",
      before: { enabled: false, language: "es" },
      after: { enabled: true, language: "eu" },
    });
    // saving the same values again records nothing
    await updateWhatsAppSettings({ db, actor: ownerActor, tenantId: tenant.id, enabled: true });
    expect(await db.auditLog.count({ where: { tenantId: tenant.id } })).toBe(1);

    const error = await failure(updateWhatsAppSettings({ db, actor: ownerActor, tenantId: tenant.id, language: "fr" }));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("Unsupported language 'fr'. Choose one of es, en, ca, eu, gl.");
    expect((await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId: tenant.id } })).language).toBe("eu");
  });
});
