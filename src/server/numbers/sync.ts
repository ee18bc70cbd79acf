/**
 * Refreshes our copy of the shared account's numbers from the Graph API (all pages). The list is a cache for
 * the admin pages and the assignment rules; Meta stays the source of truth.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { applyHealthUpdate } from "@/server/health/health";
import type { GraphClient, PhoneNumberInfo } from "@/server/whatsapp";

/** Fields read for every number (META-CLOUD-API.md §1.2). */
export const phoneNumberSyncFields = [
  "id",
  "display_phone_number",
  "verified_name",
  "quality_rating",
  "status",
  "code_verification_status",
  "name_status",
  "platform_type",
  "throughput",
  "health_status",
  "whatsapp_business_manager_messaging_limit",
] as const;

export function phoneNumberColumns(info: PhoneNumberInfo) {
  return {
    displayPhoneNumber: info.displayPhoneNumber ?? info.id,
    verifiedName: info.verifiedName ?? null,
    qualityRating: info.qualityRating,
    status: info.status ?? null,
    codeVerificationStatus: info.codeVerificationStatus ?? null,
    nameStatus: info.nameStatus ?? null,
    platformType: info.platformType ?? null,
    throughputLevel: info.throughput?.level ?? null,
    healthStatus: info.healthStatus?.canSendMessage ?? null,
    messagingLimit: info.messagingLimit ?? info.messagingLimitTier ?? null,
    // the per-entity parts (additional_info, errors) shown on the Account Health tab (§1.3)
    healthDetails: info.healthStatus ? (info.healthStatus as unknown as Prisma.InputJsonValue) : Prisma.JsonNull,
  };
}

export async function syncMasterPhoneNumbers({ db, graph, wabaId }: { db: Db; graph: Pick<GraphClient, "listPhoneNumbers">; wabaId: string }) {
  const numbers = await graph.listPhoneNumbers(wabaId, { fields: [...phoneNumberSyncFields] });
  const account = await db.businessAccount.upsert({
    where: { wabaId },
    update: {},
    create: { wabaId, name: "Shared WhatsApp Business Account", kind: "MASTER" },
  });
  const now = new Date();
  for (const info of numbers) {
    const columns = phoneNumberColumns(info);
    // New numbers are created as read; known ones go through the health service, so a change found by a refresh
    // lands on the timeline and raises its alerts like one found by the health poll.
    const row =
      (await db.phoneNumber.findUnique({ where: { metaPhoneNumberId: info.id }, select: { id: true } })) ??
      (await db.phoneNumber.create({ data: { metaPhoneNumberId: info.id, businessAccountId: account.id, ...columns }, select: { id: true } }));
    await applyHealthUpdate({ db, phoneNumberId: row.id, changes: columns, source: "sync", now });
  }
  return { synced: numbers.length, refreshedAt: now };
}
