import { describe, expect, it } from "vitest";
import { testDb } from "@/test/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";

describe("support contact", () => {
  it("the admin sets the e-mail and page; owners read them; a bad value is refused naming the field, nothing changed", async () => {
    const db = testDb();
    const admin = await createAdmin(db);
    const { owner } = await createTenantWithOwner(db);
    const asAdmin = callerAs(db, admin);
    await asAdmin.settings.updateSupportContact({ email: "soporte@recado.test", url: "https://recado.test/ayuda" });
    expect(await callerAs(db, owner).settings.supportContact()).toMatchObject({
      email: "soporte@recado.test",
      url: "https://recado.test/ayuda",
    });

    const badEmail = await asAdmin.settings.updateSupportContact({ email: "soporte", url: null }).catch((e) => e);
    expect(badEmail.code).toBe("BAD_REQUEST");
    expect(badEmail.message).toContain("email");
    expect(badEmail.message).toContain("soporte@recado.es");
    const badUrl = await asAdmin.settings.updateSupportContact({ email: null, url: "javascript:alert(1)" }).catch((e) => e);
    expect(badUrl.message).toContain("url");
    expect(badUrl.message).toContain("https://");
    expect(await callerAs(db, owner).settings.supportContact()).toMatchObject({ email: "soporte@recado.test" });

    // empty clears; the change is audited before/after
    await asAdmin.settings.updateSupportContact({ email: "", url: "https://recado.test/ayuda" });
    expect(await callerAs(db, owner).settings.supportContact()).toMatchObject({ email: null });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "platform.support_contact" }, orderBy: { createdAt: "desc" } });
    expect(audit).toMatchObject({ before: { email: "soporte@recado.test" }, after: { email: null }, actorUserId: admin.id });
  });
});
