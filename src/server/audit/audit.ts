/**
 * The audit trail: who changed what, when, with the values before and after. Writers take the transaction
 * client of the change they record, so the entry commits or rolls back with it.
 */
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

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

export async function listAuditLog({ db, filters, page, pageSize }: { db: Db; filters: AuditFilters; page: number; pageSize: number }) {
  const where: Prisma.AuditLogWhereInput = {
    action: filters.action,
    tenantId: filters.tenantId,
    actorLabel: filters.actor ? { contains: filters.actor, mode: "insensitive" } : undefined,
    createdAt: filters.from || filters.to ? { gte: filters.from, lte: filters.to } : undefined,
  };
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
