import { describe, expect, inject, it } from "vitest";
import { webhookHandlers } from "@/server/wiring";
import { createTemplate, listTenantTemplates, syncTenantTemplates } from "@/server/templates/templates";
import { testDb } from "@/test/db";
import { createSendingTenant, simMasterWabaId, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

async function deliverTemplateStatus(payload: Record<string, unknown>) {
  const handler = webhookHandlers["message_template_status_update"];
  await handler!({ id: "x", key: `k-${Math.random()}`, field: "message_template_status_update", kind: "template_status", wabaId: simMasterWabaId, phoneNumberId: null, payload: payload as never, occurredAt: null }, { db: testDb() });
}

describe("templates", () => {
  it("syncs every template of the account with its parameter names and count per language", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const result = await syncTenantTemplates({ db, tenantId: tenant.id });
    expect(result.synced).toBeGreaterThanOrEqual(3);
    const templates = await listTenantTemplates({ db, tenantId: tenant.id });
    const po = templates.filter((t) => t.name === "po_notification").map((t) => [t.language, t.status, t.parameterNames]);
    expect(po).toEqual([
      ["en", "APPROVED", ["1", "2", "3"]],
      ["es", "APPROVED", ["1", "2", "3"]],
    ]);
    expect(templates.find((t) => t.name === "hello_world")?.parameterNames).toEqual([]);
  });

  it("creates a template through the Graph API (PENDING) and follows its review by webhook: rejected with reason, then approved", async () => {
    const db = testDb();
    const { tenant, control } = await createSendingTenant(db, simulatorUrl);
    const name = `pedido_listo_${Date.now()}`;
    const created = await createTemplate({ db, tenantId: tenant.id, name, language: "es", category: "UTILITY", bodyText: "Hola {{1}}, tu pedido {{2}} está listo.", examples: ["Ana", "PO-7"] });
    expect(created).toMatchObject({ status: "PENDING", parameterNames: ["1", "2"], parameterFormat: "POSITIONAL" });
    const state = (await control.state()) as { templates: { name: string; status: string }[] };
    expect(state.templates.find((t) => t.name === name)?.status).toBe("PENDING");

    await deliverTemplateStatus({ event: "REJECTED", templateId: created.metaTemplateId, templateName: name, language: "es", reason: "INVALID_FORMAT", rejectionInfo: { reason: "Variables can't be at the start or end", recommendation: "Add text" } });
    expect(await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "REJECTED", rejectedReason: "Variables can't be at the start or end" });
    await deliverTemplateStatus({ event: "APPROVED", templateId: created.metaTemplateId, templateName: name, language: "es", reason: "NONE" });
    expect(await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "APPROVED", rejectedReason: null });
    await deliverTemplateStatus({ event: "PAUSED", templateId: created.metaTemplateId });
    expect((await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("PAUSED");
    await deliverTemplateStatus({ event: "DISABLED", templateId: created.metaTemplateId });
    expect((await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("DISABLED");
  });

  it("a duplicate name and language is refused by Meta with a clear error", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    await expect(createTemplate({ db, tenantId: tenant.id, name: "po_notification", language: "es", category: "UTILITY", bodyText: "x {{1}}", examples: ["a"] })).rejects.toMatchObject({ code: "META_ERROR" });
  });
});
