import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { deliveryFigures, figuresDays } from "@/server/messaging/figures";

export async function getBakeryOverview({ db, tenantId, now = new Date() }: { db: Db; tenantId: string; now?: Date }) {
  const tenant = await db.tenant.findUnique({
    where: { id: tenantId },
    select: {
      id: true,
      name: true,
      whatsappSettings: {
        select: {
          enabled: true,
          language: true,
          phoneNumber: { select: { displayPhoneNumber: true, verifiedName: true, qualityRating: true } },
        },
      },
    },
  });
  if (!tenant) throw new AppError("NOT_FOUND", "This bakery no longer exists.", { tenantId });
  const settings = tenant.whatsappSettings;
  const since = new Date(now.getTime() - figuresDays * 24 * 3600 * 1000);
  const [lastDays, stoppedBroadcasts] = await Promise.all([
    deliveryFigures({ db, tenantId, now }),
    db.broadcast.findMany({
      where: { tenantId, status: "STOPPED", finishedAt: { gte: since } },
      orderBy: { finishedAt: "desc" },
      take: 3,
      select: { id: true, name: true, stoppedReason: true, finishedAt: true },
    }),
  ]);
  return {
    id: tenant.id,
    name: tenant.name,
    whatsapp: {
      enabled: settings?.enabled ?? false,
      language: settings?.language ?? "es",
      phoneNumber: settings?.phoneNumber ?? null,
    },
    /** outbound messages of the last days, by how far they got */
    lastDays,
    /** broadcasts Recado stopped because their first batch failed: the owner's alert */
    stoppedBroadcasts,
  };
}

/**
 * What is waiting to be processed right now: stored webhook items not applied yet (pending, being processed or
 * waiting for a retry) and job outbox rows due and not handed over (plus those scheduled for later), each with
 * the age of its oldest. A backlog that grows, or an oldest entry minutes old, means processing falls behind.
 */
async function backlogFigures(db: Db) {
  const [row] = await db.$queryRaw<
    { webhook_items: number; oldest_webhook: Date | null; jobs_due: number; jobs_waiting: number; oldest_job_due: Date | null }[]
  >`
    SELECT (SELECT count(*)::int FROM "webhook_items" WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED')) AS webhook_items,
           (SELECT min("createdAt") FROM "webhook_items" WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED')) AS oldest_webhook,
           (SELECT count(*)::int FROM "job_outbox" WHERE "dispatchedAt" IS NULL AND "nextAttemptAt" <= now()) AS jobs_due,
           (SELECT count(*)::int FROM "job_outbox" WHERE "dispatchedAt" IS NULL) AS jobs_waiting,
           (SELECT min("nextAttemptAt") FROM "job_outbox" WHERE "dispatchedAt" IS NULL AND "nextAttemptAt" <= now()) AS oldest_job_due`;
  return {
    webhookItems: row!.webhook_items,
    oldestWebhookItemAt: row!.oldest_webhook?.toISOString() ?? null,
    jobsDue: row!.jobs_due,
    jobsWaiting: row!.jobs_waiting,
    oldestJobDueAt: row!.oldest_job_due?.toISOString() ?? null,
  };
}

/** The admin overview's figures (admin.stats), the processing backlog among them. */
export async function getPlatformStats({ db }: { db: Db }) {
  const [tenants, owners, phoneNumbers, assignedNumbers, lastDays, backlog] = await Promise.all([
    db.tenant.count(),
    db.user.count({ where: { role: "TENANT_OWNER" } }),
    db.phoneNumber.count(),
    db.whatsAppSettings.count({ where: { phoneNumberId: { not: null } } }),
    deliveryFigures({ db }),
    backlogFigures(db),
  ]);
  return { tenants, owners, phoneNumbers, assignedNumbers, lastDays, backlog };
}
