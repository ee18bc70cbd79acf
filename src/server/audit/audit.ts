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

/**
 * Every send is in the message log (messages and their status history), not copied into the audit trail: this is
 * the log as the audit page shows it to an admin, newest first, one bakery or all. The recipient's number is shown
 * by its last three digits only; the owner's Messages page has the rest.
 *
 * A broadcast's send links to its broadcast through the recipient row, which holds only the recipient's latest
 * attempt: an attempt Meta refused at once with a pacing code (the recipient was offered again later), or one
 * offered again after no answer came, is no longer that row's. Every attempt's idempotency key names its broadcast
 * (`broadcast:<broadcast id>:<recipient id>:<attempt>`, src/server/broadcasts/sending.ts), so those are linked by it,
 * to a broadcast of the same bakery only.
 */
export async function listSends({ db, tenantId, page, pageSize }: { db: Db; tenantId?: string; page: number; pageSize: number }) {
  const where: Prisma.MessageWhereInput = { direction: "OUTBOUND", tenantId };
  const [total, rows] = await Promise.all([
    db.message.count({ where }),
    db.message.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        createdAt: true,
        statusAt: true,
        source: true,
        type: true,
        templateName: true,
        status: true,
        appErrorCode: true,
        idempotencyKey: true,
        tenant: { select: { id: true, name: true } },
        contact: { select: { phoneE164: true } },
        broadcastRecipient: { select: { broadcast: { select: { id: true, name: true } } } },
      },
    }),
  ]);
  const keyedBroadcastId = (m: (typeof rows)[number]) =>
    !m.broadcastRecipient && m.source === "broadcast" && m.idempotencyKey?.startsWith("broadcast:")
      ? (m.idempotencyKey.split(":")[1] ?? null)
      : null;
  const keyedIds = [...new Set(rows.map(keyedBroadcastId).filter((id): id is string => Boolean(id)))];
  const keyed = keyedIds.length
    ? await db.broadcast.findMany({ where: { id: { in: keyedIds } }, select: { id: true, name: true, tenantId: true } })
    : [];
  const broadcastOf = (m: (typeof rows)[number]) => {
    if (m.broadcastRecipient) return m.broadcastRecipient.broadcast;
    const found = keyed.find((b) => b.id === keyedBroadcastId(m) && b.tenantId === m.tenant.id);
    return found ? { id: found.id, name: found.name } : null;
  };
  return {
    total,
    page,
    pageSize,
    sends: rows.map((m) => ({
      id: m.id,
      createdAt: m.createdAt,
      statusAt: m.statusAt,
      source: m.source,
      type: m.type,
      templateName: m.templateName,
      status: m.status,
      appErrorCode: m.appErrorCode,
      tenantId: m.tenant.id,
      tenantName: m.tenant.name,
      recipientEnding: m.contact.phoneE164 && !m.contact.phoneE164.startsWith("erased:") ? m.contact.phoneE164.slice(-3) : null,
      broadcast: broadcastOf(m),
    })),
  };
}
