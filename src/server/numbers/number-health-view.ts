/**
 * What the admin's number page shows: the stored health fields with their meaning, the onboarding state in plain
 * words, the timeline, the register attempts and Meta's budget.
 */
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { checkNumberHealth } from "@/server/health/health";
import { onboardingStateText, onboardingTimeoutsMs } from "@/server/health/onboarding";
import { registrationBudgetState } from "@/server/registration/attempts";

/** Direct link to the number in WhatsApp Manager. */
export function whatsappManagerUrl(wabaId: string, metaPhoneNumberId: string) {
  return `https://business.facebook.com/wa/manage/phone-numbers/?waba_id=${encodeURIComponent(wabaId)}&phone_number_id=${encodeURIComponent(metaPhoneNumberId)}`;
}

const inProgress = new Set(["PENDING_VERIFICATION", "PENDING_PROVISIONING", "REGISTERING"]);

/** How fresh a reading must be while onboarding is in progress and the page is watching (live updates). */
export const liveRefreshAfterMs = 4_000;

export async function numberHealthView({
  db,
  phoneNumberId,
  live = false,
  now = new Date(),
}: {
  db: Db;
  phoneNumberId: string;
  live?: boolean;
  now?: Date;
}) {
  const number = await db.phoneNumber.findUnique({
    where: { id: phoneNumberId },
    select: { onboardingState: true, lastHealthCheckAt: true },
  });
  if (!number) throw new AppError("NOT_FOUND", "Phone number not found.", { phoneNumberId });
  // While onboarding is in progress, a watching page gets a fresh reading from Meta (at most every few seconds),
  // so it turns to Connected on its own when Meta finishes — with or without an Inngest server running.
  const stale = !number.lastHealthCheckAt || now.getTime() - number.lastHealthCheckAt.getTime() > liveRefreshAfterMs;
  if (live && stale && (number.onboardingState === null || inProgress.has(number.onboardingState))) {
    await checkNumberHealth({ db, phoneNumberId, source: "poll", now });
  }
  const full = await db.phoneNumber.findUniqueOrThrow({
    where: { id: phoneNumberId },
    include: {
      businessAccount: { select: { wabaId: true, name: true, kind: true, tokenInvalidAt: true } },
      assignment: { select: { tenantId: true, tenant: { select: { name: true } } } },
      healthEvents: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 60 },
      registrationAttempts: { orderBy: { attemptedAt: "desc" }, take: 20 },
    },
  });
  const budget = await registrationBudgetState({ db, phoneNumberId, now });
  const state = full.onboardingState;
  const timeoutMs = state ? onboardingTimeoutsMs[state] : null;
  return {
    id: full.id,
    metaPhoneNumberId: full.metaPhoneNumberId,
    displayPhoneNumber: full.displayPhoneNumber,
    verifiedName: full.verifiedName,
    account: full.businessAccount,
    assignedTo: full.assignment ? { tenantId: full.assignment.tenantId, tenantName: full.assignment.tenant.name } : null,
    fields: {
      status: full.status,
      qualityRating: full.qualityRating,
      codeVerificationStatus: full.codeVerificationStatus,
      nameStatus: full.nameStatus,
      platformType: full.platformType,
      throughputLevel: full.throughputLevel,
      messagingLimit: full.messagingLimit,
      healthStatus: full.healthStatus,
    },
    healthDetails: full.healthDetails as {
      canSendMessage?: string;
      entities?: {
        entityType: string;
        id?: string;
        canSendMessage?: string;
        additionalInfo?: string[];
        errors?: { code?: number; description?: string; possibleSolution?: string }[];
      }[];
    } | null,
    onboarding: {
      state,
      since: full.onboardingStateSince,
      stuckAt: full.stuckAt,
      inProgress: state === null || inProgress.has(state),
      timeoutAt: timeoutMs !== null && full.onboardingStateSince ? new Date(full.onboardingStateSince.getTime() + timeoutMs) : null,
      ...(state
        ? onboardingStateText[state]
        : { label: "Not checked yet", meaning: "Recado has not read this number from Meta yet.", tone: "gray" as const }),
    },
    reauthRequiredAt: full.reauthRequiredAt,
    lastHealthCheckAt: full.lastHealthCheckAt,
    lastHealthCheckError: full.lastHealthCheckError,
    // the stored values (Meta's and the onboarding states' codes): the page words each one in the admin's language
    timeline: full.healthEvents,
    attempts: full.registrationAttempts,
    budget: { used: budget.used, left: budget.left, nextSlotAt: budget.nextSlotAt },
    whatsappManagerUrl: whatsappManagerUrl(full.businessAccount.wabaId, full.metaPhoneNumberId),
  };
}
