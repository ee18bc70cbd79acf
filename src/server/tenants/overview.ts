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

export async function getPlatformStats({ db }: { db: Db }) {
  const [tenants, owners, phoneNumbers, assignedNumbers, lastDays] = await Promise.all([
    db.tenant.count(),
    db.user.count({ where: { role: "TENANT_OWNER" } }),
    db.phoneNumber.count(),
    db.whatsAppSettings.count({ where: { phoneNumberId: { not: null } } }),
    deliveryFigures({ db }),
  ]);
  return { tenants, owners, phoneNumbers, assignedNumbers, lastDays };
}
