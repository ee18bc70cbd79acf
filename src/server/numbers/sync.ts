/**
 * Refreshes our copy of the shared account's numbers from the Graph API (all pages). The list is a cache for
 * the admin pages and the assignment rules; Meta stays the source of truth.
 */
import type { Db } from "@/server/db";
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
    const columns = { ...phoneNumberColumns(info), lastSyncedAt: now };
    await db.phoneNumber.upsert({
      where: { metaPhoneNumberId: info.id },
      update: columns,
      create: { metaPhoneNumberId: info.id, businessAccountId: account.id, ...columns },
    });
  }
  return { synced: numbers.length, refreshedAt: now };
}
