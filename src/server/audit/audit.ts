/**
 * The audit trail: who changed what, when, with the values before and after. Writers take the transaction
 * client of the change they record, so the entry commits or rolls back with it.
 */
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { writeCsv } from "@/lib/csv-export";

export type Actor = { userId: string | null; label: string };

export type Tx = Prisma.TransactionClient | Db;

export async function writeAudit(
  tx: Tx,
  entry: {
    actor: Actor;
    action: string;
    tenantId?: string | null;
    targetType: string;
    targetId?: string | null;
    before?: Prisma.InputJsonValue;
    after?: Prisma.InputJsonValue;
    metadata?: Prisma.InputJsonValue;
  },
) {
  await tx.auditLog.create({
    data: {
      actorUserId: entry.actor.userId,
      actorLabel: entry.actor.label,
      action: entry.action,
      tenantId: entry.tenantId ?? null,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before,
      after: entry.after,
      metadata: entry.metadata,
    },
  });
}

export type AuditFilters = { action?: string; tenantId?: string; actor?: string; from?: Date; to?: Date };

const auditWhere = (filters: AuditFilters): Prisma.AuditLogWhereInput => ({
  action: filters.action,
  tenantId: filters.tenantId,
  actorLabel: filters.actor ? { contains: filters.actor, mode: "insensitive" } : undefined,
  createdAt: filters.from || filters.to ? { gte: filters.from, lte: filters.to } : undefined,
});

export async function listAuditLog({ db, filters, page, pageSize }: { db: Db; filters: AuditFilters; page: number; pageSize: number }) {
  const where = auditWhere(filters);
  const [total, entries] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({ where, orderBy: { createdAt: "desc" }, skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  const tenantIds = [...new Set(entries.map((e) => e.tenantId).filter((id): id is string => id !== null))];
  const tenants = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } });
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));
  return {
    total,
    page,
    pageSize,
    entries: entries.map((e) => ({ ...e, tenantName: e.tenantId ? (tenantName.get(e.tenantId) ?? null) : null })),
  };
}

export async function listAuditActions({ db }: { db: Db }) {
  const rows = await db.auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}

/** The bakeries that appear in the audit trail, for its filter. */
export async function listAuditTenants({ db }: { db: Db }) {
  const rows = await db.auditLog.findMany({ distinct: ["tenantId"], where: { tenantId: { not: null } }, select: { tenantId: true } });
  return db.tenant.findMany({
    where: { id: { in: rows.map((r) => r.tenantId!) } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

/** At most this many entries go into one CSV export (newest first); narrow the filters for older ones. */
export const auditCsvLimit = 10_000;

/** The filtered audit trail as CSV (src/lib/csv-export.ts), newest first, before/after as JSON. */
export async function auditLogCsv({ db, filters }: { db: Db; filters: AuditFilters }) {
  const entries = await db.auditLog.findMany({ where: auditWhere(filters), orderBy: { createdAt: "desc" }, take: auditCsvLimit });
  const tenantIds = [...new Set(entries.map((e) => e.tenantId).filter((id): id is string => id !== null))];
  const tenants = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } });
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));
  const json = (value: unknown) => (value === null || value === undefined ? "" : JSON.stringify(value));
  return writeCsv({
    fields: ["when", "who", "action", "bakery", "bakery_id", "target_type", "target_id", "before", "after", "details"],
    data: entries.map((e) => [
      e.createdAt.toISOString(),
      e.actorLabel,
      e.action,
      e.tenantId ? (tenantName.get(e.tenantId) ?? "") : "",
      e.tenantId ?? "",
      e.targetType,
      e.targetId ?? "",
      json(e.before),
      json(e.after),
      json(e.metadata),
    ]),
  });
}
