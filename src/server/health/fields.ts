/**
 * The fields Recado reads for a number from the Graph API and the columns they are stored in: shared by the health
 * check, the sync of the shared account's numbers and Embedded Signup.
 */
import { Prisma } from "@/generated/prisma/client";
import type { PhoneNumberInfo } from "@/server/whatsapp";

/** Fields read for every number https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers. */
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
    // the per-entity parts (additional_info, errors) shown on the Account Health tab (Meta: support/health-status)
    healthDetails: info.healthStatus ? (info.healthStatus as unknown as Prisma.InputJsonValue) : Prisma.JsonNull,
  };
}
