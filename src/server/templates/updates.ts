/**
 * Meta re-categorising a template (Meta: webhooks/reference/template_category_update: a re-categorised template is
 * priced and ruled by its new category from then on, e.g. a UTILITY template that becomes MARKETING is refused to
 * contacts who stopped marketing) and changing its quality score (Meta:
 * webhooks/reference/message_template_quality_update). Both change the stored template, which the templates page
 * lists (category, previousCategory, categoryChangedAt, qualityScore, qualityChangedAt).
 */
import type { Db } from "@/server/db";
import { auditTemplateChange, metaActor } from "@/server/templates/audit";

type ChangeValue = Record<string, unknown>;

const templateIdOf = (value: ChangeValue) => (value.messageTemplateId === undefined ? null : String(value.messageTemplateId));

export async function applyTemplateCategoryUpdate({ db, wabaId, value }: { db: Db; wabaId: string | null; value: ChangeValue }) {
  const templateId = templateIdOf(value);
  const newCategory = typeof value.newCategory === "string" ? value.newCategory.toUpperCase() : null;
  if (!templateId || !newCategory) return { updated: 0 };
  const where = { metaTemplateId: templateId, ...(wabaId ? { businessAccount: { wabaId } } : {}), NOT: { category: newCategory } };
  const before = await db.messageTemplate.findMany({
    where,
    select: { id: true, status: true, category: true, rejectedReason: true, businessAccount: { select: { tenantId: true } } },
  });
  const { count } = await db.messageTemplate.updateMany({
    where: { id: { in: before.map((b) => b.id) } },
    data: {
      previousCategory: typeof value.previousCategory === "string" ? value.previousCategory.toUpperCase() : null,
      category: newCategory,
      categoryChangedAt: new Date(),
    },
  });
  // the audit trail's template.category_changed, with the category before and after
  for (const row of await db.messageTemplate.findMany({ where: { id: { in: before.map((b) => b.id) } } })) {
    const was = before.find((b) => b.id === row.id)!;
    await auditTemplateChange(db, {
      actor: metaActor("webhook"),
      row,
      before: was,
      tenantId: row.ownerTenantId ?? was.businessAccount.tenantId,
    });
  }
  return { updated: count };
}

export async function applyTemplateQualityUpdate({ db, wabaId, value }: { db: Db; wabaId: string | null; value: ChangeValue }) {
  const templateId = templateIdOf(value);
  const score = typeof value.newQualityScore === "string" ? value.newQualityScore.toUpperCase() : null;
  if (!templateId || !score) return { updated: 0 };
  const { count } = await db.messageTemplate.updateMany({
    where: { metaTemplateId: templateId, ...(wabaId ? { businessAccount: { wabaId } } : {}) },
    data: { qualityScore: score, qualityChangedAt: new Date() },
  });
  return { updated: count };
}
