/**
 * Admin alerts. A problem that repeats while its alert is still open bumps that alert (occurrences, lastSeenAt)
 * instead of opening another, so a flood of bad webhooks is one alert with a counter, not ten thousand.
 *
 * Each alert has a kind from `alertKinds` and `params` (what it mentions: names, figures, thresholds, dates as ISO
 * text). The UI words it from messages/<locale>/alerts.json (`kind.<kind>.title` / `.message`) with those params;
 * `title` and `message` are the English text kept for the REST and metrics consumers and as the fallback.
 */
import type { AlertSeverity } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";

/** The delivery metrics that raise `metric_<name>` alerts (the same list as monitoring/thresholds.ts `metricNames`). */
export const alertMetricNames = ["delivery_rate", "read_rate", "opt_out_rate", "api_error_rate", "template_rejection_rate"] as const;

/** Every kind of alert the server raises; each has its wording in messages/<locale>/alerts.json. */
export const alertKinds = [
  "token_invalid",
  "broadcast_stopped",
  "quality_guard",
  "quality_dropped",
  "number_status",
  "number_stuck",
  "account_update",
  "name_rejected",
  "account_alert",
  "account_review",
  "spend_cap_reached",
  "registration_limit",
  "webhook_item_quarantined",
  "webhook_rejected",
  ...alertMetricNames.map((m) => `metric_${m}` as const),
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** What an alert's wording mentions; dates as ISO text (keys ending in `At`), shares as fractions (0.42). */
export type AlertParams = Record<string, string | number | null>;

export type RaiseAlertInput = {
  kind: AlertKind;
  severity: AlertSeverity;
  /** English fallback (REST, metrics, a UI without the kind's wording) */
  title: string;
  /** plain words: what happened and what to do (English fallback, as the title) */
  message: string;
  /** what title and message mention, for the translated wording */
  params?: AlertParams;
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
    update: {
      occurrences: { increment: 1 },
      lastSeenAt: new Date(),
      message: alert.message,
      details: alert.details,
      params: alert.params,
    },
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

export type AlertStatusFilter = "open" | "acknowledged" | "all";

/**
 * Every alert, open and acknowledged (the history): newest first, filtered by status, severity, kind and bakery,
 * each acknowledged one with who acknowledged it and when.
 */
export async function listAlerts({
  db,
  status = "all",
  severity,
  kind,
  tenantId,
  page = 1,
  pageSize = 50,
}: {
  db: Db;
  status?: AlertStatusFilter;
  severity?: AlertSeverity;
  kind?: string;
  tenantId?: string;
  page?: number;
  pageSize?: number;
}) {
  const where: Prisma.AlertWhereInput = {
    ...(status === "open" ? { acknowledgedAt: null } : status === "acknowledged" ? { acknowledgedAt: { not: null } } : {}),
    ...(severity ? { severity } : {}),
    ...(kind ? { kind } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
  const [total, alerts, kinds] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({ where, orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }], skip: (page - 1) * pageSize, take: pageSize }),
    db.alert.findMany({ distinct: ["kind"], select: { kind: true }, orderBy: { kind: "asc" } }),
  ]);
  const userIds = [...new Set(alerts.map((a) => a.acknowledgedById).filter((id): id is string => Boolean(id)))];
  const tenantIds = [...new Set(alerts.map((a) => a.tenantId).filter((id): id is string => Boolean(id)))];
  const [users, tenants] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    tenantIds.length ? db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } }) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const tenantById = new Map(tenants.map((t) => [t.id, t.name]));
  return {
    total,
    page,
    pageSize,
    kinds: kinds.map((k) => k.kind),
    alerts: alerts.map((a) => ({
      ...a,
      tenantName: a.tenantId ? (tenantById.get(a.tenantId) ?? null) : null,
      acknowledgedBy: a.acknowledgedById ? (userById.get(a.acknowledgedById) ?? { id: a.acknowledgedById, name: null, email: null }) : null,
    })),
  };
}
