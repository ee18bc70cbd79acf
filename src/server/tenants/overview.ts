import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

export async function getBakeryOverview({ db, tenantId }: { db: Db; tenantId: string }) {
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
  return {
    id: tenant.id,
    name: tenant.name,
    whatsapp: {
      enabled: settings?.enabled ?? false,
      language: settings?.language ?? "es",
      phoneNumber: settings?.phoneNumber ?? null,
    },
  };
}

export async function getPlatformStats({ db }: { db: Db }) {
  const [tenants, owners, phoneNumbers, assignedNumbers] = await Promise.all([
    db.tenant.count(),
    db.user.count({ where: { role: "TENANT_OWNER" } }),
    db.phoneNumber.count(),
    db.whatsAppSettings.count({ where: { phoneNumberId: { not: null } } }),
  ]);
  return { tenants, owners, phoneNumbers, assignedNumbers };
}
