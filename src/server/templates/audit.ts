/**
 * Template changes in the audit trail: created (an owner's submission for review, or one first seen on Meta by a
 * sync or webhook), approved, rejected or another status from Meta, and a new category. One entry per change,
 * with the template's status, category and rejection reason before and after.
 */
import { writeAudit, type Actor, type Tx } from "@/server/audit/audit";
import { bakeryNameOf } from "@/server/templates/ownership";

export type TemplateState = { status: string; category: string | null; rejectedReason: string | null };

type TemplateRow = TemplateState & {
  id: string;
  name: string;
  tenantName: string | null;
  language: string;
  ownerTenantId: string | null;
};

/** Meta's side of a change: a status webhook or what a sync read. */
export const metaActor = (source: "webhook" | "sync"): Actor => ({
  userId: null,
  label: source === "webhook" ? "Meta (webhook)" : "Meta (sync)",
});

const statusAction = (status: string) =>
  status === "APPROVED" ? "template.approved" : status === "REJECTED" ? "template.rejected" : "template.status_changed";

/**
 * Writes what changed between `before` (null: the row is new) and the row as it is now; nothing when nothing did.
 * `tenantId`: the bakery the template belongs to (its owner, or the bakery of its own account); null for a platform one.
 */
export async function auditTemplateChange(
  tx: Tx,
  {
    actor,
    row,
    before,
    tenantId,
    created = "template.created",
  }: {
    actor: Actor;
    row: TemplateRow;
    before: TemplateState | null;
    tenantId: string | null;
    created?: "template.created" | "template.submitted";
  },
) {
  const after: TemplateState = { status: row.status, category: row.category, rejectedReason: row.rejectedReason };
  const base = {
    actor,
    tenantId: tenantId ?? row.ownerTenantId,
    targetType: "template",
    targetId: row.id,
    metadata: { name: bakeryNameOf(row), language: row.language },
  };
  if (!before) {
    await writeAudit(tx, { ...base, action: created, after });
    return;
  }
  if (before.status !== after.status || (after.status === "REJECTED" && before.rejectedReason !== after.rejectedReason)) {
    await writeAudit(tx, {
      ...base,
      action: statusAction(after.status),
      before: { status: before.status, rejectedReason: before.rejectedReason },
      after: { status: after.status, rejectedReason: after.rejectedReason },
    });
  }
  if (before.category !== after.category && after.category !== null) {
    await writeAudit(tx, {
      ...base,
      action: "template.category_changed",
      before: { category: before.category },
      after: { category: after.category },
    });
  }
}
