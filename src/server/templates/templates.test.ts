import type { WebhookHandler } from "@/server/webhooks/dispatch";
import { describe, expect, inject, it } from "vitest";
import { webhookHandlers } from "@/server/wiring";
import { createTemplate, listAllTemplates, listTenantTemplates, syncTemplates, syncTenantTemplates } from "@/server/templates/templates";
import { createBroadcast, previewBroadcast } from "@/server/broadcasts/lifecycle";
import { callerAs, createAdmin } from "@/test/fixtures";
import { testDb } from "@/test/db";
import { createContactRow, createSendingTenant, simMasterWabaId, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

async function deliverTemplateStatus(payload: Record<string, unknown>) {
  const handler = webhookHandlers["message_template_status_update"];
  await (handler as WebhookHandler)(
    {
      id: "x",
      key: `k-${Math.random()}`,
      field: "message_template_status_update",
      kind: "template_status",
      wabaId: simMasterWabaId,
      phoneNumberId: null,
      payload: payload as never,
      occurredAt: null,
    },
    { db: testDb() },
  );
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
    // the examples Meta holds name the blanks (src/lib/template-blanks.ts)
    expect(templates.find((t) => t.name === "po_notification" && t.language === "es")?.parameterExamples).toEqual([
      "Harinas del Norte",
      "PO-2024-0042",
      "125,50 €",
    ]);
    // Meta's English sample is synced (admins see it) but never offered to a bakery
    expect(templates.find((t) => t.name === "hello_world")).toBeUndefined();
    expect((await listAllTemplates({ db })).some((t) => t.name === "hello_world")).toBe(true);
  });

  it("creates a template through the Graph API (PENDING) and follows its review by webhook: rejected with reason, then approved", async () => {
    const db = testDb();
    const { tenant, control } = await createSendingTenant(db, simulatorUrl);
    const name = `pedido_listo_${Date.now()}`;
    const created = await createTemplate({
      db,
      tenantId: tenant.id,
      name,
      language: "es",
      category: "UTILITY",
      bodyText: "Hola {{1}}, tu pedido {{2}} está listo.",
      examples: ["Ana", "PO-7"],
    });
    expect(created).toMatchObject({
      status: "PENDING",
      parameterNames: ["1", "2"],
      parameterExamples: ["Ana", "PO-7"],
      parameterFormat: "POSITIONAL",
    });
    const state = (await control.state()) as { templates: { id: string; name: string; status: string }[] };
    // on the shared account Meta knows it under the bakery's unique name (templates/ownership.ts)
    expect(state.templates.find((t) => t.id === created.metaTemplateId)).toMatchObject({
      name: expect.stringMatching(new RegExp(`^${name}__t`)),
      status: "PENDING",
    });

    await deliverTemplateStatus({
      event: "REJECTED",
      templateId: created.metaTemplateId,
      templateName: name,
      language: "es",
      reason: "INVALID_FORMAT",
      rejectionInfo: { reason: "Variables can't be at the start or end", recommendation: "Add text" },
    });
    expect(await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      status: "REJECTED",
      rejectedReason: "Variables can't be at the start or end",
    });
    await deliverTemplateStatus({
      event: "APPROVED",
      templateId: created.metaTemplateId,
      templateName: name,
      language: "es",
      reason: "NONE",
    });
    expect(await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      status: "APPROVED",
      rejectedReason: null,
    });
    await deliverTemplateStatus({ event: "PAUSED", templateId: created.metaTemplateId });
    expect((await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("PAUSED");
    await deliverTemplateStatus({ event: "DISABLED", templateId: created.metaTemplateId });
    expect((await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("DISABLED");
  });

  it("a duplicate name and language is refused with a clear error: by Meta for the bakery's own, before Meta for a platform template's", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const name = `mio_${Date.now()}`;
    await createTemplate({ db, tenantId: tenant.id, name, language: "es", category: "UTILITY", bodyText: "x {{1}}", examples: ["a"] });
    await expect(
      createTemplate({ db, tenantId: tenant.id, name, language: "es", category: "UTILITY", bodyText: "x {{1}}", examples: ["a"] }),
    ).rejects.toMatchObject({ code: "META_ERROR" });
    await expect(
      createTemplate({
        db,
        tenantId: tenant.id,
        name: "po_notification",
        language: "es",
        category: "UTILITY",
        bodyText: "x {{1}}",
        examples: ["a"],
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      details: { field: "name", template_name: "po_notification" },
    });
  });
});

describe("template ownership on the shared account", () => {
  async function approve(
    control: Awaited<ReturnType<typeof createSendingTenant>>["control"],
    templateId: string,
    businessAccountId: string,
  ) {
    await control.setTemplateStatus({ templateId, event: "APPROVED" });
    await syncTemplates({ db: testDb(), businessAccountId });
  }
  const draft = (templateName: string) => ({
    name: "Oferta",
    templateName,
    parameters: [{ kind: "fixed" as const, value: "Ana" }],
    audience: { kind: "all" as const },
  });

  it("owner B's list, preview, broadcast creation and send refuse owner A's template with TEMPLATE_NOT_FOUND; A uses it", async () => {
    const db = testDb();
    const a = await createSendingTenant(db, simulatorUrl);
    const b = await createSendingTenant(db, simulatorUrl);
    const name = `solo_a_${Date.now()}`;
    const created = await createTemplate({
      db,
      tenantId: a.tenant.id,
      name,
      language: "es",
      category: "UTILITY",
      bodyText: "Hola {{1}}, solo de A.",
      examples: ["Ana"],
    });
    expect(created.name).toBe(name);
    const row = await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ ownerTenantId: a.tenant.id, tenantName: name });
    expect(row.name).toMatch(new RegExp(`^${name}__t[0-9a-f]{10}$`));
    await approve(a.control, created.metaTemplateId, a.account.id);
    expect((await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).ownerTenantId).toBe(a.tenant.id);

    const asB = callerAs(db, b.owner);
    const listB = await asB.templates.list();
    expect(listB.map((t) => t.name)).not.toContain(name);
    expect(listB.map((t) => t.name)).not.toContain(row.name);
    expect(JSON.stringify(listB)).not.toContain("solo de A");
    const contactB = await createContactRow(db, b.tenant.id);
    for (const templateName of [name, row.name]) {
      await expect(previewBroadcast({ db, tenantId: b.tenant.id, input: draft(templateName) })).rejects.toMatchObject({
        code: "TEMPLATE_NOT_FOUND",
      });
      await expect(createBroadcast({ db, tenantId: b.tenant.id, userId: null, input: draft(templateName) })).rejects.toMatchObject({
        code: "TEMPLATE_NOT_FOUND",
      });
      await expect(asB.messages.sendTemplate({ contactId: contactB.id, templateName, parameters: ["Ana"] })).rejects.toMatchObject({
        cause: { code: "TEMPLATE_NOT_FOUND" },
      });
    }
    expect(await b.control.messages({ phoneNumberId: b.number.metaPhoneNumberId })).toHaveLength(0);
    expect(await db.broadcast.count({ where: { tenantId: b.tenant.id } })).toBe(0);

    // A sees it under its own name, previews it and sends it; Meta gets the unique name
    const asA = callerAs(db, a.owner);
    expect((await asA.templates.list()).find((t) => t.name === name)).toMatchObject({
      status: "APPROVED",
      platform: false,
      bodyText: "Hola {{1}}, solo de A.",
    });
    expect(await previewBroadcast({ db, tenantId: a.tenant.id, input: draft(name) })).toMatchObject({
      renderedBody: expect.stringContaining("Hola Ana"),
    });
    const contactA = await createContactRow(db, a.tenant.id);
    await asA.messages.sendTemplate({ contactId: contactA.id, templateName: name, parameters: ["Ana"] });
    const sentA = await a.control.messages({ phoneNumberId: a.number.metaPhoneNumberId });
    expect(sentA.map((m) => m.template?.name)).toEqual([row.name]);
    expect((await db.message.findFirstOrThrow({ where: { tenantId: a.tenant.id } })).templateName).toBe(name);

    // admins see every template with its owner
    const admin = await createAdmin(db);
    const all = await callerAs(db, admin).templates.adminList();
    expect(all.find((t) => t.id === created.id)).toMatchObject({ name, metaName: row.name, owner: { id: a.tenant.id } });
    expect(all.find((t) => t.name === "po_notification")).toMatchObject({ owner: null });
  });

  it("two bakeries each hold a pedido_listo; platform templates stay usable by all; templates Recado never created are platform templates", async () => {
    const db = testDb();
    const a = await createSendingTenant(db, simulatorUrl);
    const b = await createSendingTenant(db, simulatorUrl);
    const createdA = await createTemplate({
      db,
      tenantId: a.tenant.id,
      name: "pedido_listo",
      language: "es",
      category: "UTILITY",
      bodyText: "A: {{1}} listo",
      examples: ["PO-1"],
    });
    const createdB = await createTemplate({
      db,
      tenantId: b.tenant.id,
      name: "pedido_listo",
      language: "es",
      category: "UTILITY",
      bodyText: "B: {{1}} listo",
      examples: ["PO-1"],
    });
    expect(createdA.id).not.toBe(createdB.id);
    const listA = (await listTenantTemplates({ db, tenantId: a.tenant.id })).filter((t) => t.name === "pedido_listo");
    const listB = (await listTenantTemplates({ db, tenantId: b.tenant.id })).filter((t) => t.name === "pedido_listo");
    expect(listA.map((t) => t.bodyText)).toEqual(["A: {{1}} listo"]);
    expect(listB.map((t) => t.bodyText)).toEqual(["B: {{1}} listo"]);

    for (const world of [a, b]) {
      const contact = await createContactRow(db, world.tenant.id);
      await callerAs(db, world.owner).messages.sendTemplate({
        contactId: contact.id,
        templateName: "po_notification",
        parameters: ["X", "PO-2", "1 €"],
      });
      expect((await world.control.messages({ phoneNumberId: world.number.metaPhoneNumberId })).map((m) => m.template?.name)).toEqual([
        "po_notification",
      ]);
      expect((await listTenantTemplates({ db, tenantId: world.tenant.id })).find((t) => t.name === "po_notification")?.platform).toBe(true);
    }

    // a row lost after Meta's answer comes back from the next sync as the bakery's, not as a platform template
    await db.messageTemplate.delete({ where: { id: createdA.id } });
    await syncTemplates({ db, businessAccountId: a.account.id });
    expect(await db.messageTemplate.findFirstOrThrow({ where: { metaTemplateId: createdA.metaTemplateId } })).toMatchObject({
      ownerTenantId: a.tenant.id,
      tenantName: "pedido_listo",
    });
    expect(
      (await listTenantTemplates({ db, tenantId: b.tenant.id })).filter((t) => t.name === "pedido_listo").map((t) => t.bodyText),
    ).toEqual(["B: {{1}} listo"]);

    const foreign = `hecho_en_meta_${Date.now()}`;
    await deliverTemplateStatus({
      event: "APPROVED",
      templateId: `77${Date.now()}`,
      templateName: foreign,
      language: "es",
      reason: "NONE",
    });
    expect(await db.messageTemplate.findFirstOrThrow({ where: { name: foreign } })).toMatchObject({
      ownerTenantId: null,
      tenantName: null,
    });
    for (const world of [a, b])
      expect((await listTenantTemplates({ db, tenantId: world.tenant.id })).map((t) => t.name)).toContain(foreign);
  });
});
