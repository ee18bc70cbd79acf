import { describe, expect, inject, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/server/api-keys/api-keys";
import { createPurchaseOrderRest } from "@/server/api/rest/tenant-api";
import { testDb } from "@/test/db";
import { createSendingTenant, uniquePhone, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);
const url = "http://localhost/api/v1/purchase-orders";
const post = (body: unknown, key?: string) =>
  createPurchaseOrderRest(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    }),
    { db: testDb() },
  );
const order = (overrides: Record<string, unknown> = {}) => ({
  supplier_phone: uniquePhone(),
  supplier_name: "Harinas del Norte",
  order_number: `PO-${Date.now()}-${Math.random()}`,
  total: "245,80 €",
  ...overrides,
});

describe("POST /api/v1/purchase-orders", () => {
  it("sends po_notification with its three parameters in the tenant's language from the tenant's number; the same order twice sends once", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl, { language: "en" });
    const { key } = await createApiKey({ db, tenantId: tenant.id, name: "ERP", actor: { userId: owner.id, label: owner.email } });
    const body = order({ total: 245.8 });
    const response = await post(body, key);
    expect(response.status).toBe(202);
    const json = await response.json();
    expect(json).toMatchObject({ success: true, status: "queued", message_status: "accepted", duplicate: false });
    const sent = await control.messages({ phoneNumberId: number.metaPhoneNumberId });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: body.supplier_phone,
      template: { name: "po_notification", language: "en", bodyParameters: ["Harinas del Norte", body.order_number, "245,80 €"] },
    });

    const again = await post(body, key);
    expect(await again.json()).toMatchObject({ success: true, message_id: json.message_id, duplicate: true });
    expect(await control.messages({ phoneNumberId: number.metaPhoneNumberId })).toHaveLength(1);
  });

  it("answers refused with Recado's error (an opted-out supplier) and sends nothing", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl);
    const { key } = await createApiKey({ db, tenantId: tenant.id, name: "ERP", actor: { userId: owner.id, label: owner.email } });
    const phone = uniquePhone();
    await db.contact.create({ data: { tenantId: tenant.id, phoneE164: phone, optedIn: false, optedOutAt: new Date() } });
    const response = await post(order({ supplier_phone: phone }), key);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      success: false,
      status: "refused",
      error: { code: "CONTACT_NOT_OPTED_IN", details: { opted_in: false } },
    });
    const invalid = await post(order({ supplier_phone: "555-1234" }), key);
    expect(await invalid.json()).toMatchObject({
      status: "refused",
      error: { code: "INVALID_PHONE_FORMAT", details: { provided: "555-1234" } },
    });
    const missing = await post({ supplier_name: "x" }, key);
    expect(await missing.json()).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { fieldErrors: { supplier_phone: [expect.stringContaining("+34612345678")] } } },
    });
    expect(await control.messages({ phoneNumberId: number.metaPhoneNumberId })).toHaveLength(0);
  });

  it("the same order number with another supplier or total answers 409 naming both orders, sends nothing and creates no contact", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl);
    const { key } = await createApiKey({ db, tenantId: tenant.id, name: "ERP", actor: { userId: owner.id, label: owner.email } });
    const first = order({ total: "245,80 €" });
    const accepted = await (await post(first, key)).json();
    expect(accepted).toMatchObject({ success: true, duplicate: false });

    const otherSupplier = { ...first, supplier_phone: uniquePhone(), supplier_name: "Lácteos del Valle" };
    const conflict = await post(otherSupplier, key);
    expect(conflict.status).toBe(409);
    const body = await conflict.json();
    expect(body).toMatchObject({
      success: false,
      status: "refused",
      error: {
        code: "IDEMPOTENCY_CONFLICT",
        details: {
          order_number: first.order_number,
          differs: ["supplier_phone", "supplier_name"],
          first_order: {
            message_id: accepted.message_id,
            supplier_phone: first.supplier_phone,
            supplier_name: "Harinas del Norte",
            total: "245,80 €",
          },
          this_order: { supplier_phone: otherSupplier.supplier_phone, supplier_name: "Lácteos del Valle", total: "245,80 €" },
        },
      },
    });
    expect(body.error.message).toContain(first.order_number);
    expect(await db.contact.count({ where: { tenantId: tenant.id, phoneE164: otherSupplier.supplier_phone } })).toBe(0);

    const otherTotal = await post({ ...first, total: 300 }, key);
    expect(otherTotal.status).toBe(409);
    expect(await otherTotal.json()).toMatchObject({
      error: { code: "IDEMPOTENCY_CONFLICT", details: { differs: ["total"], this_order: { total: "300,00 €" } } },
    });

    // the same order again, identical, is still a duplicate of the first
    expect(await (await post(first, key)).json()).toMatchObject({ success: true, message_id: accepted.message_id, duplicate: true });
    expect(await control.messages({ phoneNumberId: number.metaPhoneNumberId })).toHaveLength(1);
  });

  it("refuses a total that is not a positive amount with 400 naming the field, and sends nothing", async () => {
    const db = testDb();
    const { tenant, owner, number, control } = await createSendingTenant(db, simulatorUrl);
    const { key } = await createApiKey({ db, tenantId: tenant.id, name: "ERP", actor: { userId: owner.id, label: owner.email } });
    for (const total of [-5, 0, 1e308, 12.345, "-5 €", "0,00 €", "abc", "=1+1", "245,80", "2.000.000,00 €", ""]) {
      const response = await post(order({ total }), key);
      expect(response.status, `total ${JSON.stringify(total)}`).toBe(400);
      const json = await response.json();
      expect(json.error.code).toBe("VALIDATION_FAILED");
      expect(json.error.details.fieldErrors.total?.[0]).toContain("245,80 €");
      if (total !== "")
        expect(json.error.details).toMatchObject({
          field: "total",
          expected: expect.stringContaining("positive amount"),
          example: "245,80 €",
          provided: total,
        });
    }
    for (const total of [245.8, "245,80 €", "€1.245,80", "245.80 EUR", "1 000 000 €"]) {
      expect((await post(order({ total }), key)).status, `total ${JSON.stringify(total)}`).toBe(202);
    }
    expect(await control.messages({ phoneNumberId: number.metaPhoneNumberId })).toHaveLength(5);
  });

  it("role matrix: no key, a malformed, unknown or revoked key → 401; a key of tenant A sends only as A and cannot name tenant B", async () => {
    const db = testDb();
    const a = await createSendingTenant(db, simulatorUrl);
    const b = await createSendingTenant(db, simulatorUrl);
    const actor = { userId: a.owner.id, label: a.owner.email };
    const keyA = await createApiKey({ db, tenantId: a.tenant.id, name: "A", actor });
    const revoked = await createApiKey({ db, tenantId: a.tenant.id, name: "old", actor });
    await revokeApiKey({ db, tenantId: a.tenant.id, apiKeyId: revoked.id, actor });

    for (const key of [undefined, "nonsense", `rk_${"a".repeat(8)}_${"b".repeat(43)}`, revoked.key]) {
      const response = await post(order(), key);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ success: false, error: { code: "UNAUTHORIZED" } });
    }
    // revoking a key of another tenant is not possible either
    await expect(revokeApiKey({ db, tenantId: b.tenant.id, apiKeyId: keyA.id, actor })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const naming = await post(order({ tenant_id: b.tenant.id }), keyA.key);
    expect(naming.status).toBe(400);
    expect(await naming.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });

    const ok = await post(order(), keyA.key);
    expect(ok.status).toBe(202);
    const { message_id } = await ok.json();
    expect((await db.message.findUniqueOrThrow({ where: { id: message_id } })).tenantId).toBe(a.tenant.id);
    expect(await db.message.count({ where: { tenantId: b.tenant.id } })).toBe(0);
    expect(await b.control.messages({ phoneNumberId: b.number.metaPhoneNumberId })).toHaveLength(0);
    expect(await a.control.messages({ phoneNumberId: a.number.metaPhoneNumberId })).toHaveLength(1);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: keyA.id } });
    expect(stored.keyHash).not.toContain(keyA.key.slice(12));
    expect(JSON.stringify(stored)).not.toContain(keyA.key);
  });
});
