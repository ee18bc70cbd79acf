/**
 * Admin alerts. A problem that repeats while its alert is still open bumps that alert (occurrences, lastSeenAt)
 * instead of opening another, so a flood of bad webhooks is one alert with a counter, not ten thousand.
 */
import type { AlertSeverity } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";

export type RaiseAlertInput = {
  kind: string;
  severity: AlertSeverity;
  title: string;
  /** plain words: what happened and what to do */
  message: string;
  /** alerts with the same key collapse while open; defaults to the kind */
  dedupeKey?: string;
  tenantId?: string;
  phoneNumberId?: string;
  details?: Prisma.InputJsonValue;
};

export async function raiseAlert({ db, ...alert }: { db: Db } & RaiseAlertInput) {
  const dedupeKey = alert.dedupeKey ?? alert.kind;
  return db.alert.upsert({
    where: { dedupeKey },
    update: { occurrences: { increment: 1 }, lastSeenAt: new Date(), message: alert.message, details: alert.details },
    create: { ...alert, dedupeKey },
  });
}

export async function acknowledgeAlert({ db, alertId, actor }: { db: Db; alertId: string; actor: Actor & { userId: string } }) {
  return db.$transaction(async (tx) => {
    const before = await tx.alert.findUniqueOrThrow({ where: { id: alertId } });
    // Clearing dedupeKey lets the same problem open a fresh alert next time.
    const alert = await tx.alert.update({
      where: { id: alertId },
      data: { acknowledgedAt: new Date(), acknowledgedById: actor.userId, dedupeKey: null },
    });
    await writeAudit(tx, {
      actor,
      action: "alert.acknowledge",
      tenantId: alert.tenantId,
      targetType: "alert",
      targetId: alert.id,
      before: { acknowledgedAt: before.acknowledgedAt?.toISOString() ?? null },
      after: { acknowledgedAt: alert.acknowledgedAt!.toISOString(), kind: alert.kind, title: alert.title },
    });
    return alert;
  });
}

export function listOpenAlerts({ db }: { db: Db }) {
  return db.alert.findMany({ where: { acknowledgedAt: null }, orderBy: { lastSeenAt: "desc" }, take: 50 });
}
