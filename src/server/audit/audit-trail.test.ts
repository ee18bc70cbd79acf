import Papa from "papaparse";
import { describe, expect, inject, it } from "vitest";
import { simulatorControl } from "@/meta-simulator/control-client";
import { applyTemplateStatusUpdate } from "@/server/templates/templates";
import { applyTemplateCategoryUpdate } from "@/server/templates/updates";
import type { Db } from "@/server/db";
import { testDb } from "@/test/db";
import { makeSendable } from "@/test/broadcast-world";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";
import { createContactRow, createSendingTenant, resetSharedSimulatorAfterAll, simMasterWabaId } from "@/test/messaging-world";

const db = testDb();
resetSharedSimulatorAfterAll(inject("simulatorUrl"));

/** The audit entries of one target, oldest first. */
const entriesOf = (db: Db, targetId: string) => db.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

describe("audit trail: every state change writes one entry with who, which bakery and before/after", () => {
  it("opt-in and opt-out recorded by the owner (a repeat that changes nothing writes nothing)", async () => {
    const { tenant, owner } = await createTenantWithOwner(db);
    const contact = await createContactRow(db, tenant.id, { optedIn: false });
    const caller = callerAs(db, owner);
    await caller.contacts.setConsent({ contactId: contact.id, optedIn: true });
    await caller.contacts.setConsent({ contactId: contact.id, optedIn: true }); // no change: no entry
    await caller.contacts.setConsent({ contactId: contact.id, optedIn: false });
    const entries = await entriesOf(db, contact.id);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      action: "contact.opt_in",
      actorUserId: owner.id,
      actorLabel: owner.email,
      tenantId: tenant.id,
      targetType: "contact",
      before: { optedIn: false },
      after: { optedIn: true },
      metadata: { source: "manual" },
    });
    expect(entries[1]).toMatchObject({ action: "contact.opt_out", before: { optedIn: true }, after: { optedIn: false } });
  });

  it("opt-ins of a CSV import, one entry per contact", async () => {
    const { tenant, owner } = await createTenantWithOwner(db);
    const phone = `+3468${String(Date.now()).slice(-7)}`;
    const result = await callerAs(db, owner).contacts.importCsv({ csv: `phone,name,opted_in\n${phone},Import,yes` });
    expect(result).toMatchObject({ imported: 1 });
    const contact = await db.contact.findUniqueOrThrow({ where: { tenantId_phoneE164: { tenantId: tenant.id, phoneE164: phone } } });
    expect(await entriesOf(db, contact.id)).toEqual([
      expect.objectContaining({
        action: "contact.opt_in",
        tenantId: tenant.id,
        actorUserId: owner.id,
        actorLabel: owner.email,
        before: { optedIn: false },
        after: { optedIn: true },
      }),
    ]);
  });

  it("API key created and revoked", async () => {
    const { tenant, owner } = await createTenantWithOwner(db);
    const caller = callerAs(db, owner);
    const created = await caller.apiKeys.create({ name: "Till" });
    const keyId = (created as { id: string }).id;
    await caller.apiKeys.revoke({ apiKeyId: keyId });
    await caller.apiKeys.revoke({ apiKeyId: keyId }); // already revoked: no entry
    const entries = await entriesOf(db, keyId);
    expect(entries.map((e) => e.action)).toEqual(["api_key.create", "api_key.revoke"]);
    expect(entries[0]).toMatchObject({ tenantId: tenant.id, actorUserId: owner.id, after: { name: "Till" } });
    expect(entries[1]).toMatchObject({ before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
  });

  it("alert acknowledged by an admin", async () => {
    const admin = await createAdmin(db);
    const { tenant } = await createTenantWithOwner(db);
    const alert = await db.alert.create({
      data: {
        severity: "WARNING",
        kind: "test",
        title: "Something",
        message: "Look at it",
        tenantId: tenant.id,
        dedupeKey: `audit-${alertSeq()}`,
      },
    });
    await callerAs(db, admin).alerts.acknowledge({ alertId: alert.id });
    const entries = await entriesOf(db, alert.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "alert.acknowledge",
      actorUserId: admin.id,
      tenantId: tenant.id,
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: expect.any(String), kind: "test" },
    });
  });

  it("broadcast started, paused, resumed and cancelled", async () => {
    const { tenant, owner } = await createTenantWithOwner(db);
    await makeSendable(db, tenant.id);
    await createContactRow(db, tenant.id, { optedIn: true, name: "Ana" });
    const caller = callerAs(db, owner);
    const broadcast = await caller.broadcasts.create({
      name: "Audit",
      templateName: "po_notification",
      parameters: [
        { kind: "field", field: "name" },
        { kind: "fixed", value: "A-1" },
        { kind: "fixed", value: "5 €" },
      ],
      audience: { kind: "all" },
    });
    await caller.broadcasts.start({ broadcastId: broadcast.id });
    await caller.broadcasts.pause({ broadcastId: broadcast.id });
    await caller.broadcasts.resume({ broadcastId: broadcast.id });
    await caller.broadcasts.cancel({ broadcastId: broadcast.id });
    const entries = await entriesOf(db, broadcast.id);
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ["broadcast.start", { status: "DRAFT" }, { status: "SENDING", total: 1 }],
      ["broadcast.pause", { status: "SENDING" }, { status: "PAUSED" }],
      ["broadcast.resume", { status: "PAUSED" }, { status: "SENDING" }],
      ["broadcast.cancel", { status: "SENDING" }, { status: "CANCELLED" }],
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ actorUserId: owner.id, tenantId: tenant.id, targetType: "broadcast" });
  });
});

describe("audit trail: templates and the admin's number actions", () => {
  it("a template submitted by the owner, approved or rejected by Meta's webhook and re-categorised by Meta (read by a sync)", async () => {
    const { tenant, owner } = await createSendingTenant(db, inject("simulatorUrl"));
    const caller = callerAs(db, owner);
    const created = await caller.templates.create({
      name: `audit_${Date.now()}`,
      language: "es",
      category: "UTILITY",
      bodyText: "Hola {{1}}, tu pedido está listo",
      examples: ["Ana"],
    });
    const submitted = await entriesOf(db, created.id);
    expect(submitted).toEqual([
      expect.objectContaining({
        action: "template.submitted",
        actorUserId: owner.id,
        tenantId: tenant.id,
        targetType: "template",
        before: null,
        after: { status: created.status, category: "UTILITY", rejectedReason: null },
        metadata: { name: created.name, language: "es" },
      }),
    ]);

    const update = (event: string, reason?: string) =>
      applyTemplateStatusUpdate({ db, wabaId: simMasterWabaId, update: { event, templateId: created.metaTemplateId, reason } });
    await update("REJECTED", "INVALID_FORMAT");
    await update("REJECTED", "INVALID_FORMAT"); // the same news again: no entry
    await update("APPROVED");
    const reviewed = (await entriesOf(db, created.id)).slice(1);
    expect(reviewed.map((e) => [e.action, e.actorLabel, e.tenantId, e.before, e.after])).toEqual([
      [
        "template.rejected",
        "Meta (webhook)",
        tenant.id,
        { status: created.status, rejectedReason: null },
        { status: "REJECTED", rejectedReason: "INVALID_FORMAT" },
      ],
      [
        "template.approved",
        "Meta (webhook)",
        tenant.id,
        { status: "REJECTED", rejectedReason: "INVALID_FORMAT" },
        { status: "APPROVED", rejectedReason: null },
      ],
    ]);

    // Meta moves it to MARKETING; the next sync reads it and records the change once
    const metaName = (await db.messageTemplate.findUniqueOrThrow({ where: { id: created.id } })).name;
    await simulatorControl(inject("simulatorUrl")).setTemplateCategory({
      wabaId: simMasterWabaId,
      name: metaName,
      language: "es",
      newCategory: "MARKETING",
    });
    await caller.templates.sync();
    await caller.templates.sync();
    // and Meta's template_category_update webhook moving it back
    const webhookValue = { messageTemplateId: created.metaTemplateId, previousCategory: "MARKETING", newCategory: "UTILITY" };
    await applyTemplateCategoryUpdate({ db, wabaId: simMasterWabaId, value: webhookValue });
    await applyTemplateCategoryUpdate({ db, wabaId: simMasterWabaId, value: webhookValue }); // the same news again: no entry
    const categories = (await entriesOf(db, created.id)).filter((e) => e.action === "template.category_changed");
    expect(categories).toEqual([
      expect.objectContaining({
        actorLabel: "Meta (sync)",
        tenantId: tenant.id,
        before: { category: "UTILITY" },
        after: { category: "MARKETING" },
      }),
      expect.objectContaining({
        actorLabel: "Meta (webhook)",
        tenantId: tenant.id,
        before: { category: "MARKETING" },
        after: { category: "UTILITY" },
      }),
    ]);
  });

  it("Complete registration and Reset onboarding by an admin, with the number's state before and after", async () => {
    const admin = await createAdmin(db);
    const { tenant, number } = await createSendingTenant(db, inject("simulatorUrl"));
    const caller = callerAs(db, admin);
    await caller.health.completeRegistration({ phoneNumberId: number.id });
    await db.phoneNumber.update({ where: { id: number.id }, data: { onboardingState: "NEEDS_ATTENTION", stuckAt: new Date() } });
    await caller.health.resetOnboarding({ phoneNumberId: number.id });
    const entries = await entriesOf(db, number.id);
    expect(entries.map((e) => e.action)).toEqual(["number.complete_registration", "number.onboarding_reset"]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorUserId: admin.id, actorLabel: admin.email, tenantId: tenant.id, targetType: "phone_number" });
      expect(entry.before).not.toBeNull();
      expect(entry.after).not.toBeNull();
    }
    expect(entries[1]).toMatchObject({
      before: { onboardingState: "NEEDS_ATTENTION", stuckAt: expect.any(String) },
      after: { onboardingState: null, stuckAt: null },
    });
  });
});

describe("admin audit page: the sends of the message log", () => {
  it("lists one bakery's sends, newest first, with the recipient's number shown by its last three digits only", async () => {
    const admin = await createAdmin(db);
    const a = await createTenantWithOwner(db);
    const b = await createTenantWithOwner(db);
    const send = async (tenantId: string, templateName: string) => {
      const contact = await createContactRow(db, tenantId, { optedIn: true });
      await db.message.create({
        data: { tenantId, contactId: contact.id, direction: "OUTBOUND", type: "template", templateName, source: "ui", status: "SENT" },
      });
      return contact;
    };
    const contact = await send(a.tenant.id, "po_notification");
    await send(b.tenant.id, "other_bakery");
    const listed = await callerAs(db, admin).audit.sends({ tenantId: a.tenant.id });
    expect(listed.total).toBe(1);
    expect(listed.sends).toEqual([
      expect.objectContaining({
        tenantId: a.tenant.id,
        tenantName: a.tenant.name,
        templateName: "po_notification",
        status: "SENT",
        source: "ui",
        recipientEnding: contact.phoneE164.slice(-3),
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(contact.phoneE164);
  });
});

describe("admin audit page: a broadcast's sends that failed at once", () => {
  it("name their broadcast even when the recipient row holds a later attempt (a pacing refusal, an answer that never came)", async () => {
    const admin = await createAdmin(db);
    const a = await createTenantWithOwner(db);
    const b = await createTenantWithOwner(db);
    const contact = await createContactRow(db, a.tenant.id, { optedIn: true });
    const broadcastOf = (tenantId: string, name: string) =>
      db.broadcast.create({
        data: {
          tenantId,
          name,
          templateName: "po_notification",
          templateLanguage: "es",
          parameterSources: [],
          audience: { kind: "all" },
          status: "SENDING",
        },
      });
    const ours = await broadcastOf(a.tenant.id, "Oferta de Navidad");
    const theirs = await broadcastOf(b.tenant.id, "Otra panadería");
    const recipient = await db.broadcastRecipient.create({
      data: { broadcastId: ours.id, seq: 1, contactId: contact.id, phoneE164: contact.phoneE164, status: "SENT", deferrals: 1 },
    });
    // as the sending step leaves them: attempt 0 refused by Meta's pacing (FAILED, no wamid), attempt 1 sent and on
    // the recipient row
    const attempt = (n: number, status: "FAILED" | "SENT", broadcastId = ours.id) =>
      db.message.create({
        data: {
          tenantId: a.tenant.id,
          contactId: contact.id,
          direction: "OUTBOUND",
          type: "template",
          templateName: "po_notification",
          source: "broadcast",
          idempotencyKey: `broadcast:${broadcastId}:${recipient.id}:${n}`,
          status,
          appErrorCode: status === "FAILED" ? "RATE_LIMIT_EXCEEDED" : null,
        },
      });
    const refused = await attempt(0, "FAILED");
    const sent = await attempt(1, "SENT");
    await db.broadcastRecipient.update({ where: { id: recipient.id }, data: { messageId: sent.id } });
    // a key naming another bakery's broadcast is never linked to it
    const foreign = await attempt(2, "FAILED", theirs.id);

    const listed = await callerAs(db, admin).audit.sends({ tenantId: a.tenant.id });
    const byId = new Map(listed.sends.map((m) => [m.id, m]));
    expect(byId.get(sent.id)!.broadcast).toEqual({ id: ours.id, name: "Oferta de Navidad" });
    expect(byId.get(refused.id)).toMatchObject({
      status: "FAILED",
      appErrorCode: "RATE_LIMIT_EXCEEDED",
      broadcast: { id: ours.id, name: "Oferta de Navidad" },
    });
    expect(byId.get(foreign.id)!.broadcast).toBeNull();
    expect(JSON.stringify(listed)).not.toContain("idempotencyKey");
  });
});

describe("admin audit page: filters and CSV export", () => {
  it("filters by bakery, actor and action, and exports the filtered entries as CSV", async () => {
    const admin = callerAs(db, await createAdmin(db));
    const a = await createTenantWithOwner(db);
    const b = await createTenantWithOwner(db);
    const contactA = await createContactRow(db, a.tenant.id, { optedIn: false });
    const contactB = await createContactRow(db, b.tenant.id, { optedIn: false });
    await callerAs(db, a.owner).contacts.setConsent({ contactId: contactA.id, optedIn: true });
    await callerAs(db, b.owner).contacts.setConsent({ contactId: contactB.id, optedIn: true });
    await callerAs(db, a.owner).apiKeys.create({ name: "Till" });

    const byBakery = await admin.audit.list({ tenantId: a.tenant.id });
    expect(byBakery.entries.map((e) => e.action).sort()).toEqual(["api_key.create", "contact.opt_in"]);
    expect(byBakery.entries.every((e) => e.tenantName === a.tenant.name)).toBe(true);
    const byActor = await admin.audit.list({ actor: b.owner.email });
    expect(byActor.entries.map((e) => e.targetId)).toEqual([contactB.id]);
    const byAction = await admin.audit.list({ tenantId: a.tenant.id, action: "contact.opt_in" });
    expect(byAction.entries.map((e) => e.targetId)).toEqual([contactA.id]);
    expect((await admin.audit.tenants()).map((t) => t.id)).toEqual(expect.arrayContaining([a.tenant.id, b.tenant.id]));

    const csv = await admin.audit.exportCsv({ tenantId: a.tenant.id });
    expect(csv.mimeType).toBe("text/csv");
    const rows = Papa.parse<Record<string, string>>(csv.content, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.action).sort()).toEqual(["api_key.create", "contact.opt_in"]);
    const optIn = rows.find((r) => r.action === "contact.opt_in")!;
    expect(optIn).toMatchObject({ who: a.owner.email, bakery: a.tenant.name, target_id: contactA.id });
    expect(JSON.parse(optIn.before!)).toEqual({ optedIn: false });
    expect(JSON.parse(optIn.after!)).toEqual({ optedIn: true });
  });
});

let seq = 0;
function alertSeq() {
  seq += 1;
  return `${Date.now()}-${seq}`;
}
