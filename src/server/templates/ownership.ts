/**
 * Who may see and send a template. On the platform's shared account (MASTER) a template a bakery creates belongs
 * to that bakery: only it lists, previews, broadcasts and sends it. Templates with no owner — created by the
 * platform, synced from the account, or reported by a status webhook for a template Recado never created — are
 * platform templates every bakery on the shared account may use (po_notification is one). On a bakery's own
 * account every template is that bakery's.
 *
 * Meta's template names are unique per account and language
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates), so two bakeries can
 * each have a `pedido_listo` only under different names on Meta: a bakery's template is created on the shared
 * account as `{name}__t{10 hex of the bakery}` and keeps the bakery's own name in `tenantName`.
 */
import { createHash } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

export type TemplateScope = { businessAccountId: string; tenantId: string; sharedAccount: boolean };

export function templateScopeOf(tenantId: string, account: { id: string; kind: string }): TemplateScope {
  return { businessAccountId: account.id, tenantId, sharedAccount: account.kind === "MASTER" };
}

/** Every template the bakery may see: its own and the platform's on the shared account, all on its own account. */
export function visibleTemplatesWhere(scope: TemplateScope): Prisma.MessageTemplateWhereInput {
  if (!scope.sharedAccount) return { businessAccountId: scope.businessAccountId };
  return { businessAccountId: scope.businessAccountId, OR: [{ ownerTenantId: scope.tenantId }, { ownerTenantId: null }] };
}

/** The templates the bakery means by `name` (its own name for its own templates, Meta's name for the platform's). */
export function templatesNamedWhere(scope: TemplateScope, name: string): Prisma.MessageTemplateWhereInput {
  if (!scope.sharedAccount) return { businessAccountId: scope.businessAccountId, OR: [{ name }, { tenantName: name }] };
  return {
    businessAccountId: scope.businessAccountId,
    OR: [
      { ownerTenantId: scope.tenantId, tenantName: name },
      { ownerTenantId: null, name },
    ],
  };
}

/** The bakery's own template wins over a platform template of the same name. */
export function ownFirst<T extends { ownerTenantId: string | null }>(templates: T[]): T[] {
  return [...templates].sort((a, b) => Number(b.ownerTenantId !== null) - Number(a.ownerTenantId !== null));
}

/** The name a bakery sees and sends by. */
export const bakeryNameOf = (template: { name: string; tenantName: string | null }) => template.tenantName ?? template.name;

const metaNameLimit = 512;
const ownedMetaName = /^(.+)__t([0-9a-f]{10})$/;
const tenantTag = (tenantId: string) => createHash("sha256").update(tenantId).digest("hex").slice(0, 10);

/**
 * A template found on the shared account that has no row yet (read by sync, or reported by webhook): if its name
 * carries a bakery's tag it was created by Recado for that bakery (say, the row was lost after Meta's answer) and
 * stays that bakery's; anything else is a platform template.
 */
export function ownershipFromMetaName(name: string, tenantIds: string[]): { ownerTenantId: string | null; tenantName: string | null } {
  const match = ownedMetaName.exec(name);
  const owner = match ? tenantIds.find((id) => tenantTag(id) === match[2]) : undefined;
  return owner && match?.[1] ? { ownerTenantId: owner, tenantName: match[1] } : { ownerTenantId: null, tenantName: null };
}

/** Tenant ids to match tags against, read only when some name carries a tag. */
export async function tenantIdsForTags(db: Db, names: string[]) {
  return names.some((n) => ownedMetaName.test(n)) ? (await db.tenant.findMany({ select: { id: true } })).map((t) => t.id) : [];
}

/** What a bakery's new template is called on Meta, and who owns it. */
export function ownershipOfNewTemplate(
  scope: TemplateScope,
  name: string,
): { metaName: string; ownerTenantId: string | null; tenantName: string | null } {
  if (!scope.sharedAccount) return { metaName: name, ownerTenantId: scope.tenantId, tenantName: null };
  const metaName = `${name}__t${tenantTag(scope.tenantId)}`;
  if (metaName.length > metaNameLimit) {
    const expected = `at most ${metaNameLimit - 13} characters`;
    const details = { field: "name", expected, example: "pedido_listo" };
    throw new AppError("VALIDATION_FAILED", `The template name is too long: ${expected}.`, details);
  }
  return { metaName, ownerTenantId: scope.tenantId, tenantName: name };
}
