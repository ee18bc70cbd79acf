import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { assignmentWarningCodes, assignmentWarnings } from "@/server/numbers/assignment";
import { onboardingStateText } from "@/server/health/onboarding";

/** The shared account's numbers as the admin sees them, with the bakery holding each. */
export async function listMasterPhoneNumbers({ db }: { db: Db }) {
  const numbers = await db.phoneNumber.findMany({
    where: { businessAccount: { kind: "MASTER" } },
    orderBy: { displayPhoneNumber: "asc" },
    include: { assignment: { select: { tenantId: true, tenant: { select: { name: true } } } } },
  });
  const lastRefreshedAt = numbers.reduce<Date | null>(
    (latest, n) => (n.lastSyncedAt && (!latest || n.lastSyncedAt > latest) ? n.lastSyncedAt : latest),
    null,
  );
  return {
    lastRefreshedAt,
    numbers: numbers.map((n) => ({
      id: n.id,
      metaPhoneNumberId: n.metaPhoneNumberId,
      displayPhoneNumber: n.displayPhoneNumber,
      verifiedName: n.verifiedName,
      qualityRating: n.qualityRating,
      status: n.status,
      healthStatus: n.healthStatus,
      platformType: n.platformType,
      warnings: assignmentWarnings(n),
      warningCodes: assignmentWarningCodes(n),
      assignedTo: n.assignment ? { tenantId: n.assignment.tenantId, tenantName: n.assignment.tenant.name } : null,
      lastSyncedAt: n.lastSyncedAt,
      onboarding: n.onboardingState
        ? {
            state: n.onboardingState,
            label: onboardingStateText[n.onboardingState].label,
            tone: onboardingStateText[n.onboardingState].tone,
            stuck: !!n.stuckAt,
          }
        : null,
    })),
  };
}

/** Bakeries with their WhatsApp status, searchable by name, a page at a time (indexed on name). */
export async function listTenantsWithWhatsApp({ db, search, page, pageSize }: { db: Db; search?: string; page: number; pageSize: number }) {
  const where: Prisma.TenantWhereInput = search ? { name: { contains: search, mode: "insensitive" } } : {};
  const [total, tenants] = await Promise.all([
    db.tenant.count({ where }),
    db.tenant.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        name: true,
        whatsappSettings: {
          select: {
            enabled: true,
            language: true,
            phoneNumber: { select: { id: true, metaPhoneNumberId: true, displayPhoneNumber: true, qualityRating: true } },
          },
        },
      },
    }),
  ]);
  return {
    total,
    page,
    pageSize,
    tenants: tenants.map((t) => ({
      id: t.id,
      name: t.name,
      enabled: t.whatsappSettings?.enabled ?? false,
      language: t.whatsappSettings?.language ?? "es",
      phoneNumber: t.whatsappSettings?.phoneNumber ?? null,
    })),
  };
}
