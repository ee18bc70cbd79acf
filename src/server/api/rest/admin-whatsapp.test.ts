import { describe, expect, it } from "vitest";
import {
  assignPhoneRest,
  listPhoneNumbersRest,
  listTenantsRest,
  unassignPhoneRest,
  type RestContext,
} from "@/server/api/rest/admin-whatsapp";
import { testDb } from "@/test/db";
import { createAdmin, createMasterNumber, createTenantWithOwner, sessionFor } from "@/test/fixtures";

const token = "rest-test-admin-token-0123456789";
const base = "http://localhost/api/v1/admin/whatsapp";
const ctx = (session: RestContext["session"] = null): RestContext => ({ db: testDb(), session, adminApiToken: token });
const bearer = (value = token) => ({ authorization: `Bearer ${value}` });
const post = (path: string, body: unknown, headers: Record<string, string> = bearer()) =>
  new Request(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("admin REST API: who may call it", () => {
  it("refuses signed-out callers, wrong tokens and owners on every route", async () => {
    const db = testDb();
    const { tenant, owner } = await createTenantWithOwner(db);
    const ownerCtx = ctx(sessionFor(owner));
    const routes = [
      (c: RestContext, h: Record<string, string>) => listPhoneNumbersRest(new Request(`${base}/phone-numbers`, { headers: h }), c),
      (c: RestContext, h: Record<string, string>) => listTenantsRest(new Request(`${base}/tenants`, { headers: h }), c),
      (c: RestContext, h: Record<string, string>) =>
        assignPhoneRest(post(`/tenants/${tenant.id}/assign-phone`, { phone_number_id: "1" }, h), c, tenant.id),
      (c: RestContext, h: Record<string, string>) =>
        unassignPhoneRest(new Request(`${base}/tenants/${tenant.id}/unassign-phone`, { method: "DELETE", headers: h }), c, tenant.id),
    ];
    for (const route of routes) {
      expect((await route(ctx(), {})).status).toBe(401);
      expect((await route(ctx(), bearer("guessed-token"))).status).toBe(401);
      const asOwner = await route(ownerCtx, {});
      expect(asOwner.status).toBe(403);
      expect(await asOwner.json()).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
    }
  });

  it("accepts the admin API token and an admin session", async () => {
    const admin = await createAdmin(testDb());
    expect((await listTenantsRest(new Request(`${base}/tenants`, { headers: bearer() }), ctx())).status).toBe(200);
    expect((await listTenantsRest(new Request(`${base}/tenants`), ctx(sessionFor(admin)))).status).toBe(200);
  });
});

describe("admin REST API: the documented shapes", () => {
  it("assigns, lists and unassigns with the appendix-B shapes", async () => {
    const db = testDb();
    const { tenant } = await createTenantWithOwner(db, `Panadería REST ${Date.now()}`);
    const number = await createMasterNumber(db, { displayPhoneNumber: "+34 612 345 999", qualityRating: "YELLOW" });

    const assigned = await assignPhoneRest(
      post(`/tenants/${tenant.id}/assign-phone`, { phone_number_id: number.metaPhoneNumberId, display_phone_number: "+34 612 345 999" }),
      ctx(),
      tenant.id,
    );
    expect(assigned.status).toBe(200);
    expect(await assigned.json()).toEqual({
      success: true,
      message: `Phone number +34 612 345 999 assigned to the bakery ${tenant.name}`,
      tenant_id: tenant.id,
      phone_number_id: number.metaPhoneNumberId,
      display_phone_number: "+34 612 345 999",
    });
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(audit.actorLabel).toBe("admin-api-token");

    const numbers = (await (
      await listPhoneNumbersRest(new Request(`${base}/phone-numbers`, { headers: bearer() }), ctx())
    ).json()) as Record<string, unknown>[];
    expect(numbers.find((n) => n.id === number.metaPhoneNumberId)).toMatchObject({
      id: number.metaPhoneNumberId,
      display_phone_number: "+34 612 345 999",
      verified_name: "Test Bakery Line",
      quality_rating: "YELLOW",
      assigned_tenant_id: tenant.id,
    });

    const list = await listTenantsRest(
      new Request(`${base}/tenants?search=${encodeURIComponent(tenant.name)}`, { headers: bearer() }),
      ctx(),
    );
    expect(list.headers.get("X-Total-Count")).toBe("1");
    expect(await list.json()).toEqual([
      {
        tenant_id: tenant.id,
        tenant_name: tenant.name,
        whatsapp_enabled: false,
        phone_number_id: number.metaPhoneNumberId,
        display_phone_number: "+34 612 345 999",
        language: "es",
      },
    ]);

    const removed = await unassignPhoneRest(
      new Request(`${base}/tenants/${tenant.id}/unassign-phone`, { method: "DELETE", headers: bearer() }),
      ctx(),
      tenant.id,
    );
    expect(await removed.json()).toMatchObject({
      success: true,
      message: `Phone number +34 612 345 999 unassigned from the bakery ${tenant.name}`,
    });
  });

  it("answers bad input and conflicts with a code, a plain message and details", async () => {
    const db = testDb();
    const { tenant: holder } = await createTenantWithOwner(db, "Holder Bakery");
    const { tenant } = await createTenantWithOwner(db);
    const number = await createMasterNumber(db);
    await assignPhoneRest(post(`/tenants/${holder.id}/assign-phone`, { phone_number_id: number.metaPhoneNumberId }), ctx(), holder.id);

    const conflict = await assignPhoneRest(
      post(`/tenants/${tenant.id}/assign-phone`, { phone_number_id: number.metaPhoneNumberId }),
      ctx(),
      tenant.id,
    );
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      success: false,
      error: { code: "CONFLICT", details: { assignedTenantName: "Holder Bakery" } },
    });

    const bad = await assignPhoneRest(post(`/tenants/${tenant.id}/assign-phone`, { phone_number_id: "+34 612" }), ctx(), tenant.id);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string; details: { fieldErrors: Record<string, string[]> } } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details.fieldErrors.phone_number_id).toEqual(['expected Meta\'s numeric phone number id, e.g. "106540352242922"']);

    const notJson = await assignPhoneRest(post(`/tenants/${tenant.id}/assign-phone`, "phone=1"), ctx(), tenant.id);
    expect(notJson.status).toBe(400);
    expect(await db.auditLog.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});
