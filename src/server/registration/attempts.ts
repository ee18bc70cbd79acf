/**
 * Registering a number (POST /{id}/register, https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration at the right time: a fresh health reading
 * decides (registrationDecision), the 10-calls-per-72-hours budget is counted from the attempts stored in the
 * database (not in memory: any process, any retry run, the admin's button all share it), and every call that
 * reached Meta is recorded with its outcome and Meta's code.
 */
import type { RegistrationOutcome } from "@/generated/prisma/enums";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";
import { graphClientForAccount } from "@/server/accounts/graph";
import { markAccountTokenInvalid } from "@/server/accounts/token-status";
import { getEnv } from "@/server/env";
import { AppError, isAppError } from "@/server/errors";
import { checkNumberHealth } from "@/server/health/health";
import { resetOnboarding, setOnboardingState } from "@/server/health/onboarding";
import { isGraphApiError } from "@/server/whatsapp";

/** Meta: business-phone-numbers/registration, business-phone-numbers/phone-numbers: 10 register (and deregister) calls per number per moving 72 hours; the 11th blocks it 72 h. */
export const registrationBudget = { maxCalls: 10, windowMs: 72 * 60 * 60_000 };

/**
 * Meta codes that mean "not yet" rather than "no": 100/2388001 (display name still processing, Meta: support/error-codes and seed
 * 000), 131037 (no approved display name), 133015 (number recently deleted, wait 5 minutes), 133004 (register
 * server temporarily unavailable). Everything else needs a person.
 */
const notYetCodes = new Set([131037, 133015, 133004]);

export async function registrationBudgetState({ db, phoneNumberId, now = new Date() }: { db: Db; phoneNumberId: string; now?: Date }) {
  const since = new Date(now.getTime() - registrationBudget.windowMs);
  const inWindow = await db.registrationAttempt.findMany({
    where: { phoneNumberId, attemptedAt: { gt: since } },
    orderBy: { attemptedAt: "asc" },
    select: { attemptedAt: true },
  });
  const used = inWindow.length;
  const left = Math.max(0, registrationBudget.maxCalls - used);
  // When the budget is spent, the next call is allowed once the oldest call in the window leaves it.
  const nextSlotAt =
    left > 0 ? now : new Date(inWindow[used - registrationBudget.maxCalls]!.attemptedAt.getTime() + registrationBudget.windowMs + 1000);
  return { used, left, nextSlotAt };
}

export type RegistrationAttemptResult = {
  /**
   * registered: Meta accepted the call. already_registered: the number is provisioned, nothing was called.
   * pending_provisioning: Meta is not ready yet (retry later). budget_exhausted: not called, 10 in 72 h used.
   * health_unknown: the health reading failed, nothing was called. failed: needs a person.
   */
  outcome: "registered" | "already_registered" | "pending_provisioning" | "budget_exhausted" | "health_unknown" | "failed";
  /** what happened and what happens next, as a key of messages/<locale>/health.json `attemptMessage.<code>` */
  code: RegistrationMessageCode;
  /** what the wording mentions: `nextSlotAt` (ISO), `detail` (the reading's or Meta's own words), `errorCode` */
  params?: Record<string, string | number | null>;
  /** the same in English, for the REST consumers and the audit trail */
  message: string;
  retryable: boolean;
  metaCode?: number;
  metaSubcode?: number;
  nextSlotAt?: string;
};

export const registrationMessageCodes = [
  "health_unknown",
  "already_registered",
  "budget_exhausted",
  "pending_provisioning",
  "limit_reached",
  "not_verified",
  "pin_mismatch",
  "failed",
  "accepted",
  "registered",
] as const;
export type RegistrationMessageCode = (typeof registrationMessageCodes)[number];

function registrationPin(): string {
  const pin = getEnv().META_REGISTRATION_PIN;
  if (!pin)
    throw new AppError(
      "VALIDATION_FAILED",
      "META_REGISTRATION_PIN is not set: registration needs the 6-digit two-step verification PIN (see .env.example).",
      { field: "META_REGISTRATION_PIN" },
    );
  return pin;
}

/** One registration attempt now, if the rule says so and the budget allows. `trigger`: retry, manual, signup. */
export async function attemptRegistration({
  db,
  phoneNumberId,
  trigger,
  now = () => new Date(),
}: {
  db: Db;
  phoneNumberId: string;
  trigger: string;
  now?: () => Date;
}): Promise<RegistrationAttemptResult> {
  const health = await checkNumberHealth({ db, phoneNumberId, source: trigger === "manual" ? "manual" : "registration", now: now() });
  const decision = health.decision;
  if (decision.action === "wait") {
    return {
      outcome: "health_unknown",
      retryable: true,
      code: "health_unknown",
      params: { detail: health.ok ? decision.detail : health.error.message },
      message: `Could not read the number's state from Meta, so registration was not tried: ${health.ok ? decision.detail : health.error.message}`,
    };
  }
  if (decision.action === "skip") {
    return {
      outcome: "already_registered",
      retryable: false,
      code: "already_registered",
      message: "The number is already registered on the Cloud API. Nothing to do.",
    };
  }

  const budget = await registrationBudgetState({ db, phoneNumberId, now: now() });
  if (budget.left === 0) {
    return {
      outcome: "budget_exhausted",
      retryable: true,
      nextSlotAt: budget.nextSlotAt.toISOString(),
      code: "budget_exhausted",
      params: { nextSlotAt: budget.nextSlotAt.toISOString() },
      message: `Meta allows 10 registration tries in 72 hours and all are used. Next try possible after ${budget.nextSlotAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    };
  }

  const number = await db.phoneNumber.findUniqueOrThrow({
    where: { id: phoneNumberId },
    include: { businessAccount: true, assignment: { select: { tenantId: true } } },
  });
  await setOnboardingState({ db, phoneNumberId, state: "REGISTERING", source: "registration", now: now() });
  const record = (outcome: RegistrationOutcome, extra: { metaCode?: number; metaSubcode?: number; message?: string } = {}) =>
    db.registrationAttempt.create({
      data: { phoneNumberId, trigger, outcome, attemptedAt: now(), ...extra, message: extra.message?.slice(0, 500) },
    });

  try {
    await graphClientForAccount(number.businessAccount).registerPhoneNumber(number.metaPhoneNumberId, { pin: registrationPin() });
  } catch (error) {
    if (!isAppError(error)) throw error;
    // A call that never reached Meta (connection refused) spent nothing of the budget; anything else may have.
    const reachedMeta = isGraphApiError(error) && error.transport !== "connect";
    const { metaCode, metaSubcode } = error;
    const meta = { metaCode, metaSubcode, message: error.message };

    if (
      error.code === "REGISTRATION_PENDING_PROVISIONING" ||
      (metaCode !== undefined && notYetCodes.has(metaCode)) ||
      (error.code === "META_UNAVAILABLE" && !reachedMeta)
    ) {
      if (reachedMeta) await record("PENDING_PROVISIONING", meta);
      await setOnboardingState({
        db,
        phoneNumberId,
        state: "PENDING_PROVISIONING",
        source: "registration",
        detail: `Meta ${metaCode ?? ""}/${metaSubcode ?? ""}`,
        now: now(),
      });
      return {
        outcome: "pending_provisioning",
        retryable: true,
        metaCode,
        metaSubcode,
        code: "pending_provisioning",
        message:
          "Meta has not finished preparing the number (display name still under review). Recado tries again on its own with growing waits; nothing to do now.",
      };
    }
    if (error.code === "REGISTRATION_LIMIT_REACHED") {
      await record("LIMIT_REACHED", meta);
      await setOnboardingState({ db, phoneNumberId, state: "NEEDS_ATTENTION", source: "registration", detail: "133016", now: now() });
      await raiseAlert({
        db,
        kind: "registration_limit",
        severity: "CRITICAL",
        dedupeKey: `registration_limit:${number.metaPhoneNumberId}`,
        phoneNumberId,
        tenantId: number.assignment?.tenantId,
        title: `${number.displayPhoneNumber}: registration blocked for 72 hours`,
        message:
          "Meta refused registration: 10 tries in 72 hours were used (error 133016) and the number is blocked for 72 hours. Wait, then use “Complete registration”.",
        params: { number: number.displayPhoneNumber },
      });
      return {
        outcome: "failed",
        retryable: false,
        metaCode,
        metaSubcode,
        code: "limit_reached",
        message: "Meta blocked registration for 72 hours after 10 tries (error 133016). Wait 72 hours, then try again.",
      };
    }
    if (reachedMeta) await record("FAILED", meta);
    if (error.code === "TOKEN_EXPIRED")
      await markAccountTokenInvalid({
        db,
        businessAccountId: number.businessAccountId,
        reason: `Meta error ${metaCode ?? ""} on register`,
      });
    const state = metaCode === 133006 ? "PENDING_VERIFICATION" : "NEEDS_ATTENTION";
    await setOnboardingState({ db, phoneNumberId, state, source: "registration", detail: `Meta ${metaCode ?? error.code}`, now: now() });
    const advice: Record<number, string> = {
      133006: "Meta has not verified the number yet: finish the SMS/voice code step in WhatsApp Manager, then try again.",
      133005:
        "The two-step verification PIN does not match the number's PIN: set META_REGISTRATION_PIN to it (or reset the PIN in WhatsApp Manager).",
      133016: "",
    };
    const code: RegistrationMessageCode = metaCode === 133006 ? "not_verified" : metaCode === 133005 ? "pin_mismatch" : "failed";
    return {
      outcome: "failed",
      retryable: false,
      metaCode,
      metaSubcode,
      code,
      params: code === "failed" ? { errorCode: error.code, detail: error.message } : undefined,
      message: (metaCode !== undefined && advice[metaCode]) || `Registration failed: ${error.message}`,
    };
  }

  await record("SUCCEEDED");
  const after = await checkNumberHealth({ db, phoneNumberId, source: "registration", now: now() });
  if (after.ok && after.decision.action !== "skip") {
    // Meta accepted the call but does not show the number as provisioned yet: keep watching it.
    return {
      outcome: "registered",
      retryable: false,
      code: "accepted",
      message: "Meta accepted the registration; the number shows as connected once Meta finishes (usually within minutes).",
    };
  }
  return {
    outcome: "registered",
    retryable: false,
    code: "registered",
    message: "Registered: the number is connected to the WhatsApp Cloud API and can send messages.",
  };
}

/** Reset (src/server/health/onboarding.ts) followed by a fresh reading, which sets the state again. */
export async function restartOnboarding({
  db,
  phoneNumberId,
  actor,
}: {
  db: Db;
  phoneNumberId: string;
  actor: { userId: string | null; label: string };
}) {
  await resetOnboarding({ db, phoneNumberId, actor });
  const health = await checkNumberHealth({ db, phoneNumberId, source: "reset" });
  return { decision: health.decision.action, ok: health.ok };
}

/** The fields a registration attempt may change, as the audit trail records them before and after. */
export async function onboardingSnapshot({ db, phoneNumberId }: { db: Db; phoneNumberId: string }) {
  const number = await db.phoneNumber.findUnique({
    where: { id: phoneNumberId },
    select: { onboardingState: true, platformType: true, status: true, stuckAt: true },
  });
  if (!number) throw new AppError("NOT_FOUND", "Phone number not found.", { phoneNumberId });
  return { ...number, stuckAt: number.stuckAt?.toISOString() ?? null };
}

/** An admin's "Complete registration" in the audit trail: who, which number and bakery, the state before and after. */
export async function auditRegistrationAttempt({
  db,
  phoneNumberId,
  actor,
  before,
  outcome,
}: {
  db: Db;
  phoneNumberId: string;
  actor: Actor;
  before: Awaited<ReturnType<typeof onboardingSnapshot>>;
  outcome: { outcome?: string | null; retryScheduled: boolean };
}) {
  const after = await onboardingSnapshot({ db, phoneNumberId });
  const settings = await db.whatsAppSettings.findFirst({ where: { phoneNumberId }, select: { tenantId: true } });
  await writeAudit(db, {
    actor,
    action: "number.complete_registration",
    tenantId: settings?.tenantId ?? null,
    targetType: "phone_number",
    targetId: phoneNumberId,
    before,
    after: { ...after, outcome: outcome.outcome ?? null, retryScheduled: outcome.retryScheduled },
  });
}
