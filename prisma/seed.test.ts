import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/server/auth/password";
import { testDb } from "@/test/db";
import { demoAdmin, demoBakeries, demoPassword, seedDemoData } from "./seed";

describe("demo seed", () => {
  it("creates the admin, three bakeries with owners and the master account, and can run again", async () => {
    const db = testDb();
    await seedDemoData(db, { masterWabaId: "102290129340398" });
    await seedDemoData(db, { masterWabaId: "102290129340398" });

    const admin = await db.user.findUniqueOrThrow({ where: { email: demoAdmin.email } });
    expect(admin.role).toBe("PLATFORM_ADMIN");
    expect(await verifyPassword(demoPassword, admin.passwordHash)).toBe(true);

    const owners = await db.user.findMany({
      where: { email: { in: demoBakeries.map((b) => b.owner.email) } },
      include: { tenant: { include: { whatsappSettings: true } } },
    });
    expect(owners.map((o) => o.tenant?.name).sort()).toEqual(demoBakeries.map((b) => b.name).sort());
    expect(owners.every((o) => o.role === "TENANT_OWNER" && o.tenant?.whatsappSettings?.enabled === false)).toBe(true);
    expect(await db.businessAccount.count({ where: { wabaId: "102290129340398", kind: "MASTER" } })).toBe(1);
  });

  it("the database refuses an owner without a bakery and an admin with one", async () => {
    const db = testDb();
    await expect(
      db.user.create({ data: { email: "lost@test.recado", name: "Lost", passwordHash: "x", role: "TENANT_OWNER" } }),
    ).rejects.toThrow(/users_role_tenant_check/);
  });
});
