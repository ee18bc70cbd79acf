/**
 * Message templates per business account and language: synced from the Graph API (all pages), created through
 * it, and kept current by `message_template_status_update` webhooks (Meta: webhooks/reference/message_template_status_update, templates/overview).
 */
import type { Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { graphClientForAccount } from "@/server/accounts/graph";
import { markAccountTokenInvalid } from "@/server/accounts/token-status";
import { isGraphApiError, type GraphClient, type TemplateCategory, type TemplateInfo } from "@/server/whatsapp";
import type { TemplateStatusUpdate } from "@/server/whatsapp/webhook-payload";
import {
  bakeryNameOf,
  ownershipFromMetaName,
  ownershipOfNewTemplate,
  templateScopeOf,
  tenantIdsForTags,
  visibleTemplatesWhere,
} from "@/server/templates/ownership";
import { auditTemplateChange, metaActor, type TemplateState } from "@/server/templates/audit";

const stateSelect = { name: true, language: true, status: true, category: true, rejectedReason: true } as const;
const keyOf = (t: { name: string; language: string }) => `${t.name}\u0000${t.language}`;

function rowOf(t: TemplateInfo) {
  return {
    metaTemplateId: t.id,
    category: t.category ?? null,
    status: t.status,
    rejectedReason: t.status === "REJECTED" ? (t.rejectedReason ?? null) : null,
    parameterFormat: t.parameterFormat,
    parameterNames: t.bodyParameters,
    parameterExamples: t.bodyExamples,
    bodyText: t.components.find((c) => c.type === "BODY")?.text ?? null,
  };
}

/** Every template of one account, all pages; returns how many were stored. */
export async function syncTemplates({
  db,
  businessAccountId,
  graph,
}: {
  db: Db;
  businessAccountId: string;
  /** default: the account's own client */ graph?: GraphClient;
}) {
  const account = await db.businessAccount.findUniqueOrThrow({ where: { id: businessAccountId } });
  let templates: TemplateInfo[];
  try {
    templates = await (graph ?? graphClientForAccount(account)).listMessageTemplates(account.wabaId);
  } catch (error) {
    if (isGraphApiError(error) && error.code === "TOKEN_EXPIRED")
      await markAccountTokenInvalid({ db, businessAccountId, reason: error.message });
    throw error;
  }
  const now = new Date();
  const tenantIds =
    account.kind === "MASTER"
      ? await tenantIdsForTags(
          db,
          templates.map((t) => t.name),
        )
      : [];
  const known = new Map<string, TemplateState>(
    (await db.messageTemplate.findMany({ where: { businessAccountId }, select: stateSelect })).map((t) => [keyOf(t), t]),
  );
  for (const t of templates) {
    // ownership is decided when a row is created and never changed by a sync
    const ownership =
      account.kind === "MASTER" ? ownershipFromMetaName(t.name, tenantIds) : { ownerTenantId: account.tenantId, tenantName: null };
    const row = await db.messageTemplate.upsert({
      where: { businessAccountId_name_language: { businessAccountId, name: t.name, language: t.language } },
      update: { ...rowOf(t), lastSyncedAt: now },
      create: { businessAccountId, name: t.name, language: t.language, ...rowOf(t), ...ownership, lastSyncedAt: now },
    });
    const tenantId = account.kind === "MASTER" ? row.ownerTenantId : account.tenantId;
    await auditTemplateChange(db, { actor: metaActor("sync"), row, before: known.get(keyOf(t)) ?? null, tenantId });
  }
  return { synced: templates.length, syncedAt: now };
}

/** The schedule's job: every account that has at least one number. */
export async function syncAllTemplates({ db }: { db: Db }) {
  const accounts = await db.businessAccount.findMany({ where: { phoneNumbers: { some: {} } }, select: { id: true, wabaId: true } });
  const results: { wabaId: string; synced?: number; error?: string }[] = [];
  for (const account of accounts) {
    try {
      results.push({ wabaId: account.wabaId, synced: (await syncTemplates({ db, businessAccountId: account.id })).synced });
    } catch (error) {
      results.push({ wabaId: account.wabaId, error: (error as Error).message.slice(0, 300) });
    }
  }
  return results;
}

/** The business account a tenant sends from: its number's account. */
export async function accountOfTenant({ db, tenantId }: { db: Db; tenantId: string }) {
  const settings = await db.whatsAppSettings.findUnique({
    where: { tenantId },
    select: { phoneNumber: { select: { businessAccount: true } } },
  });
  const account = settings?.phoneNumber?.businessAccount;
  if (!account)
    throw new AppError(
      "NO_PHONE_NUMBER_ASSIGNED",
      "No WhatsApp number is assigned to this bakery yet: ask the platform admin to assign one.",
      { tenantId },
    );
  return account;
}

/**
 * Meta's own samples, which every new account gets (hello_world: English, no blanks, "demonstrates your ability to
 * send"): never offered to a bakery on the shared account. Admins still see them (listAllTemplates).
 */
export const metaSampleTemplateNames = ["hello_world"];

/** The bakery's templates (templates/ownership.ts), each under the name the bakery uses; `platform` marks shared ones. */
export async function listTenantTemplates({ db, tenantId }: { db: Db; tenantId: string }) {
  const account = await accountOfTenant({ db, tenantId });
  const templates = await db.messageTemplate.findMany({ where: visibleTemplatesWhere(templateScopeOf(tenantId, account)) });
  return templates
    .filter((t) => !(account.kind === "MASTER" && t.ownerTenantId === null && metaSampleTemplateNames.includes(t.name)))
    .map(({ ownerTenantId, tenantName, name, ...t }) => ({
      ...t,
      name: bakeryNameOf({ name, tenantName }),
      platform: ownerTenantId === null && account.kind === "MASTER",
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language) || Number(a.platform) - Number(b.platform));
}

/** Admins: every template of every account, with the bakery that owns it (null: a platform template). */
export async function listAllTemplates({ db }: { db: Db }) {
  const templates = await db.messageTemplate.findMany({
    orderBy: [{ name: "asc" }, { language: "asc" }],
    include: {
      ownerTenant: { select: { id: true, name: true } },
      businessAccount: { select: { wabaId: true, kind: true, tenant: { select: { id: true, name: true } } } },
    },
    take: 1000,
  });
  return templates.map((t) => ({
    id: t.id,
    metaName: t.name,
    name: bakeryNameOf(t),
    language: t.language,
    status: t.status,
    category: t.category,
    wabaId: t.businessAccount.wabaId,
    owner: t.ownerTenant ?? (t.businessAccount.kind === "TENANT_OWNED" ? t.businessAccount.tenant : null),
  }));
}

export async function syncTenantTemplates({ db, tenantId }: { db: Db; tenantId: string }) {
  const account = await accountOfTenant({ db, tenantId });
  return syncTemplates({ db, businessAccountId: account.id });
}

export async function createTemplate({
  db,
  tenantId,
  name,
  language,
  category,
  bodyText,
  examples,
  actor,
}: {
  db: Db;
  tenantId: string;
  /** who submitted it, for the audit trail */
  actor?: Actor;
  name: string;
  language: string;
  category: TemplateCategory;
  bodyText: string;
  examples: string[];
}) {
  const account = await accountOfTenant({ db, tenantId });
  const scope = templateScopeOf(tenantId, account);
  const ownership = ownershipOfNewTemplate(scope, name);
  if (scope.sharedAccount) {
    const platform = await db.messageTemplate.findFirst({
      where: { businessAccountId: account.id, ownerTenantId: null, name, language },
      select: { id: true },
    });
    if (platform) {
      throw new AppError("CONFLICT", `'${name}' is a platform template every bakery can already use: choose another name for yours.`, {
        field: "name",
        template_name: name,
        language,
      });
    }
  }
  const graph = graphClientForAccount(account);
  const created = await graph.createMessageTemplate({
    wabaId: account.wabaId,
    name: ownership.metaName,
    language,
    category,
    components: [{ type: "BODY", text: bodyText, examples }],
  });
  const parameterNames = [...new Set([...bodyText.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? ""))];
  const data = {
    metaTemplateId: created.id,
    category: created.category ?? category,
    status: created.status,
    rejectedReason: null,
    parameterFormat: parameterNames.every((n) => /^\d+$/.test(n)) ? "POSITIONAL" : "NAMED",
    parameterNames,
    parameterExamples: parameterNames.map((_, i) => examples[i] ?? ""),
    bodyText,
    ownerTenantId: ownership.ownerTenantId,
    tenantName: ownership.tenantName,
  };
  const where = { businessAccountId_name_language: { businessAccountId: account.id, name: ownership.metaName, language } };
  const row = await db.messageTemplate.upsert({
    where,
    update: data,
    create: { businessAccountId: account.id, name: ownership.metaName, language, ...data },
  });
  // created and submitted for Meta's review in one call; a resubmission of a rejected one is a new submission too
  await auditTemplateChange(db, {
    actor: actor ?? { userId: null, label: "owner" },
    row,
    before: null,
    tenantId,
    created: "template.submitted",
  });
  return { ...row, name: bakeryNameOf(row) };
}

/** Meta: webhooks/reference/message_template_status_update: event APPROVED / REJECTED / PAUSED / DISABLED / REINSTATED / ... for one template id. */
export function statusFromTemplateEvent(event: string): string {
  const upper = event.toUpperCase();
  return upper === "REINSTATED" || upper === "UNPAUSED" ? "APPROVED" : upper === "FLAGGED" ? "APPROVED" : upper;
}

export async function applyTemplateStatusUpdate({ db, wabaId, update }: { db: Db; wabaId: string | null; update: TemplateStatusUpdate }) {
  const status = statusFromTemplateEvent(update.event);
  const reason = update.rejectionInfo?.reason ?? (update.reason && update.reason !== "NONE" ? update.reason : null);
  const matching = { metaTemplateId: update.templateId, ...(wabaId ? { businessAccount: { wabaId } } : {}) };
  const before = await db.messageTemplate.findMany({
    where: matching,
    select: { id: true, ...stateSelect, businessAccount: { select: { tenantId: true } } },
  });
  const { count } = await db.messageTemplate.updateMany({
    where: matching,
    data: { status, rejectedReason: status === "REJECTED" ? reason : null },
  });
  for (const row of await db.messageTemplate.findMany({ where: { id: { in: before.map((b) => b.id) } } })) {
    const was = before.find((b) => b.id === row.id)!;
    await auditTemplateChange(db, {
      actor: metaActor("webhook"),
      row,
      before: was,
      tenantId: row.ownerTenantId ?? was.businessAccount.tenantId,
    });
  }
  if (count > 0 || !wabaId || !update.templateName || !update.language) return { updated: count };
  // a template created elsewhere (Meta's UI) that we have not synced yet: remember it; the next sync fills in the body
  const account = await db.businessAccount.findUnique({ where: { wabaId }, select: { id: true, kind: true, tenantId: true } });
  if (!account) return { updated: 0 };
  const ownership =
    account.kind === "MASTER"
      ? ownershipFromMetaName(update.templateName, await tenantIdsForTags(db, [update.templateName]))
      : { ownerTenantId: account.tenantId, tenantName: null };
  const key = { businessAccountId: account.id, name: update.templateName, language: update.language };
  const known = await db.messageTemplate.findUnique({ where: { businessAccountId_name_language: key }, select: stateSelect });
  const row = await db.messageTemplate.upsert({
    where: { businessAccountId_name_language: key },
    update: { metaTemplateId: update.templateId, status, rejectedReason: status === "REJECTED" ? reason : null },
    create: {
      businessAccountId: account.id,
      metaTemplateId: update.templateId,
      name: update.templateName,
      language: update.language,
      category: update.category ?? null,
      status,
      rejectedReason: status === "REJECTED" ? reason : null,
      ...ownership,
    },
  });
  await auditTemplateChange(db, { actor: metaActor("webhook"), row, before: known, tenantId: row.ownerTenantId ?? account.tenantId });
  return { updated: 1 };
}
