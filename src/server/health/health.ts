/**
 * Number health (Meta: business-phone-numbers/phone-numbers, support/health-status): reads the documented fields of a number, stores
 * them, keeps every change as a timeline entry, raises admin alerts on the transitions that matter and moves the
 * onboarding state. The health poll, "Refresh from Meta", the admin's "Check now" and the health webhooks all
 * end in applyHealthUpdate, so a change is recorded and alerted the same way whoever noticed it first.
 */
import type { AlertSeverity, OnboardingState, QualityRating } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";
import { graphClientForAccount } from "@/server/accounts/graph";
import { markAccountTokenInvalid, markAccountTokenValid } from "@/server/accounts/token-status";
import { isAppError } from "@/server/errors";
import { phoneNumberColumns, phoneNumberSyncFields } from "@/server/health/fields";
import { onboardingStateFromHealth, setOnboardingState } from "@/server/health/onboarding";
import { registrationDecision, type RegistrationDecision } from "@/server/health/registration-decision";
import { isGraphApiError } from "@/server/whatsapp";

/** The health fields kept on the timeline (healthDetails is shown as it is, not diffed). */
export const trackedHealthFields = [
  "status",
  "qualityRating",
  "codeVerificationStatus",
  "nameStatus",
  "platformType",
  "throughputLevel",
  "healthStatus",
  "messagingLimit",
  "verifiedName",
] as const;

export type TrackedHealthField = (typeof trackedHealthFields)[number];

export type HealthChanges = Partial<Record<Exclude<TrackedHealthField, "qualityRating">, string | null>> & {
  qualityRating?: QualityRating;
  healthDetails?: Prisma.InputJsonValue | typeof Prisma.JsonNull;
  displayPhoneNumber?: string;
};

const alertingStatuses: Record<string, { severity: AlertSeverity; what: string }> = {
  FLAGGED: { severity: "WARNING", what: "flagged for low quality: improve message quality or its messaging limit may drop" },
  RESTRICTED: {
    severity: "CRITICAL",
    what: "restricted: it reached its messaging limit or broke a policy and cannot start conversations for now",
  },
  BANNED: { severity: "CRITICAL", what: "banned by Meta: it cannot send; appeal in WhatsApp Manager" },
  DISCONNECTED: { severity: "CRITICAL", what: "disconnected from the Cloud API: it must be registered again" },
};

type NumberRow = Prisma.PhoneNumberGetPayload<{ include: { assignment: { select: { tenantId: true } } } }>;

async function alertOnTransition(db: Db, number: NumberRow, field: TrackedHealthField, previous: string | null, next: string | null) {
  const base = { db, phoneNumberId: number.id, tenantId: number.assignment?.tenantId };
  if (field === "qualityRating" && (next === "YELLOW" || next === "RED") && previous !== next) {
    await raiseAlert({
      ...base,
      kind: "quality_dropped",
      severity: next === "RED" ? "CRITICAL" : "WARNING",
      dedupeKey: `quality:${number.metaPhoneNumberId}:${next}`,
      title: `${number.displayPhoneNumber}: quality is ${next}`,
      message:
        next === "RED"
          ? "Quality rating dropped to RED (low): recipients block or report its messages. Pause broadcasts from this number and review what it sends."
          : "Quality rating dropped to YELLOW (medium): recipients are starting to block or report its messages. Review what it sends before it reaches RED.",
      details: { from: previous, to: next },
      params: { number: number.displayPhoneNumber, from: previous, to: next },
    });
  }
  if (field === "status" && next && alertingStatuses[next] && previous !== next) {
    const { severity, what } = alertingStatuses[next]!;
    await raiseAlert({
      ...base,
      kind: "number_status",
      severity,
      dedupeKey: `status:${number.metaPhoneNumberId}:${next}`,
      title: `${number.displayPhoneNumber} is ${next}`,
      message: `Meta reports the number as ${what}.`,
      details: { from: previous, to: next },
      params: { number: number.displayPhoneNumber, from: previous, to: next },
    });
  }
}

/**
 * Applies changed health fields to a number: the changed ones are stored, each becomes a timeline entry, the
 * alerting transitions raise alerts, and the onboarding state follows. `fullRead` marks a complete read of the
 * number from Meta (the poll, a refresh), as opposed to the partial news a webhook brings.
 */
export async function applyHealthUpdate({
  db,
  phoneNumberId,
  changes,
  source,
  fullRead = source !== "webhook",
  details,
  now = new Date(),
}: {
  db: Db;
  phoneNumberId: string;
  changes: HealthChanges;
  source: string;
  fullRead?: boolean;
  details?: Prisma.InputJsonValue;
  now?: Date;
}) {
  const number = await db.phoneNumber.findUniqueOrThrow({
    where: { id: phoneNumberId },
    include: { assignment: { select: { tenantId: true } } },
  });
  const changed: { field: TrackedHealthField; previous: string | null; next: string | null }[] = [];
  for (const field of trackedHealthFields) {
    if (!(field in changes)) continue;
    const next = (changes[field] ?? null) as string | null;
    const previous = (number[field] ?? null) as string | null;
    if (next !== previous) changed.push({ field, previous, next });
  }

  const updated = await db.phoneNumber.update({
    where: { id: phoneNumberId },
    data: { ...changes, ...(fullRead ? { lastSyncedAt: now, lastHealthCheckAt: now, lastHealthCheckError: null } : {}) },
  });
  if (changed.length > 0) {
    await db.phoneNumberHealthEvent.createMany({
      data: changed.map((c) => ({
        phoneNumberId,
        source,
        field: c.field,
        previousValue: c.previous,
        newValue: c.next,
        createdAt: now,
        ...(details ? { details } : {}),
      })),
    });
  }
  for (const c of changed) await alertOnTransition(db, number, c.field, c.previous, c.next);

  const derived = onboardingStateFromHealth(updated);
  const current = updated.onboardingState;
  // REGISTERING and NEEDS_ATTENTION are set by registration and only left when the number is provisioned (or
  // becomes blocked); a health reading alone does not end a registration in progress.
  const keep: OnboardingState[] = ["REGISTERING", "NEEDS_ATTENTION"];
  const next = current === null || derived === "CONNECTED" || derived === "NEEDS_ATTENTION" || !keep.includes(current) ? derived : current;
  await setOnboardingState({ db, phoneNumberId, state: next, source, now });
  if (next === "CONNECTED" && updated.reauthRequiredAt) {
    await db.phoneNumber.update({ where: { id: phoneNumberId }, data: { reauthRequiredAt: null } });
  }
  return { changed };
}

export type HealthCheckResult =
  | { ok: true; decision: RegistrationDecision; changed: { field: string; previous: string | null; next: string | null }[] }
  | { ok: false; decision: RegistrationDecision; error: { code: string; message: string } };

/**
 * Reads a number's health from Meta and applies it. A failed read is stored as the number's last check error
 * and answered as a "wait" decision (never as provisioned); a refused token (190) marks its account and alerts.
 */
export async function checkNumberHealth({
  db,
  phoneNumberId,
  source = "poll",
  now = new Date(),
}: {
  db: Db;
  phoneNumberId: string;
  source?: string;
  now?: Date;
}): Promise<HealthCheckResult> {
  const number = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, include: { businessAccount: true } });
  try {
    const graph = graphClientForAccount(number.businessAccount);
    const info = await graph.getPhoneNumber(number.metaPhoneNumberId, [...phoneNumberSyncFields]);
    await markAccountTokenValid({ db, businessAccountId: number.businessAccountId });
    const { changed } = await applyHealthUpdate({ db, phoneNumberId, changes: phoneNumberColumns(info), source, now });
    const fields = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId } });
    return { ok: true, changed, decision: registrationDecision({ ok: true, ...fields }) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "TOKEN_EXPIRED") {
      await markAccountTokenInvalid({
        db,
        businessAccountId: number.businessAccountId,
        reason: isGraphApiError(error) ? `Meta error ${error.metaCode ?? ""} on ${error.operation}` : error.message,
      });
    }
    await db.phoneNumber.update({
      where: { id: phoneNumberId },
      data: { lastHealthCheckAt: now, lastHealthCheckError: error.message.slice(0, 500) },
    });
    return {
      ok: false,
      decision: registrationDecision({ ok: false, error: error.code }),
      error: { code: error.code, message: error.message },
    };
  }
}

/** Every number Recado watches (the cron fans out one check per number). */
export async function phoneNumberIdsToCheck({ db }: { db: Db }) {
  const rows = await db.phoneNumber.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => r.id);
}
