/**
 * The onboarding state machine of a number (it answers what went wrong elsewhere: states that never
 * move, no reset, unclear status). Every state has a timeout; a number that overstays it is marked stuck, alerted, and an admin can
 * reset it to start over. Every move is a timeline entry.
 */
import type { OnboardingState } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";
import { writeAudit } from "@/server/audit/audit";
import { AppError } from "@/server/errors";
import { isProvisioned } from "@/server/health/registration-decision";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How long a number may stay in a state before it counts as stuck. Provisioning gets Meta's 72-hour register
 * window (Meta: business-phone-numbers/registration): by then the retry schedule has spent its budget once. CONNECTED never times out.
 */
export const onboardingTimeoutsMs: Record<OnboardingState, number | null> = {
  PENDING_VERIFICATION: 72 * HOUR,
  PENDING_PROVISIONING: 72 * HOUR,
  REGISTERING: 30 * MINUTE,
  CONNECTED: null,
  NEEDS_ATTENTION: 7 * 24 * HOUR,
};

/** Plain words for admins: what is happening and what to do. `tone` picks the colour. */
export const onboardingStateText: Record<
  OnboardingState,
  { label: string; meaning: string; tone: "green" | "amber" | "blue" | "red" | "gray" }
> = {
  PENDING_VERIFICATION: {
    label: "Waiting for verification",
    meaning:
      "Meta has not verified that you own this number (SMS or voice code). Finish the code step in WhatsApp Manager; registration follows on its own.",
    tone: "amber",
  },
  PENDING_PROVISIONING: {
    label: "Waiting for Meta",
    meaning:
      "Meta is still reviewing the display name. Recado retries registration on its own (at most 10 tries in 72 hours); nothing to do unless it stays here.",
    tone: "blue",
  },
  REGISTERING: {
    label: "Registering",
    meaning: "Recado is registering the number with the WhatsApp Cloud API right now.",
    tone: "blue",
  },
  CONNECTED: {
    label: "Connected",
    meaning: "Registered on the Cloud API: the number can send and receive messages.",
    tone: "green",
  },
  NEEDS_ATTENTION: {
    label: "Needs attention",
    meaning:
      "Registration cannot go on by itself. Read the last attempt below, fix it in WhatsApp Manager, then use “Complete registration” or reset onboarding.",
    tone: "red",
  },
};

const blockingStatuses = new Set(["BANNED", "DELETED", "RESTRICTED", "DISABLED"]);

/** The state the number's health fields point to (a REGISTERING or NEEDS_ATTENTION state is kept by the caller). */
export function onboardingStateFromHealth(fields: {
  codeVerificationStatus: string | null;
  platformType: string | null;
  throughputLevel: string | null;
  status: string | null;
}): OnboardingState {
  if (fields.status && blockingStatuses.has(fields.status)) return "NEEDS_ATTENTION";
  if (isProvisioned(fields)) return "CONNECTED";
  if (fields.codeVerificationStatus && fields.codeVerificationStatus !== "VERIFIED") return "PENDING_VERIFICATION";
  return "PENDING_PROVISIONING";
}

type Tx = Prisma.TransactionClient | Db;

/** Moves a number to `state` (no-op when already there), with a timeline entry. */
export async function setOnboardingState({
  db,
  phoneNumberId,
  state,
  source,
  detail,
  now = new Date(),
}: {
  db: Tx;
  phoneNumberId: string;
  state: OnboardingState;
  source: string;
  detail?: string;
  now?: Date;
}): Promise<boolean> {
  const current = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, select: { onboardingState: true } });
  if (current.onboardingState === state) return false;
  await db.phoneNumber.update({ where: { id: phoneNumberId }, data: { onboardingState: state, onboardingStateSince: now, stuckAt: null } });
  await db.phoneNumberHealthEvent.create({
    data: {
      phoneNumberId,
      source,
      field: "onboardingState",
      previousValue: current.onboardingState,
      newValue: state,
      createdAt: now,
      ...(detail ? { details: { detail } } : {}),
    },
  });
  return true;
}

/** Numbers that overstayed their state's timeout: marked stuck (once) and alerted. Returns the newly stuck. */
export async function markStuckNumbers({ db, now = new Date() }: { db: Db; now?: Date }) {
  const candidates = await db.phoneNumber.findMany({
    where: { stuckAt: null, onboardingState: { notIn: ["CONNECTED"] }, onboardingStateSince: { not: null } },
    select: {
      id: true,
      metaPhoneNumberId: true,
      displayPhoneNumber: true,
      onboardingState: true,
      onboardingStateSince: true,
      assignment: { select: { tenantId: true } },
    },
  });
  const stuck = [];
  for (const number of candidates) {
    const timeout = number.onboardingState ? onboardingTimeoutsMs[number.onboardingState] : null;
    if (timeout === null || !number.onboardingStateSince || now.getTime() - number.onboardingStateSince.getTime() < timeout) continue;
    const marked = await db.phoneNumber.updateMany({ where: { id: number.id, stuckAt: null }, data: { stuckAt: now } });
    if (marked.count === 0) continue;
    const label = onboardingStateText[number.onboardingState!].label;
    const hours = Math.round((now.getTime() - number.onboardingStateSince.getTime()) / HOUR);
    await db.phoneNumberHealthEvent.create({
      data: {
        phoneNumberId: number.id,
        source: "timeout",
        field: "stuck",
        previousValue: null,
        newValue: number.onboardingState,
        createdAt: now,
        details: { hours },
      },
    });
    await raiseAlert({
      db,
      kind: "number_stuck",
      severity: "WARNING",
      dedupeKey: `number_stuck:${number.metaPhoneNumberId}`,
      phoneNumberId: number.id,
      tenantId: number.assignment?.tenantId,
      title: `${number.displayPhoneNumber} is stuck in “${label}”`,
      message: `The number has been in “${label}” for ${hours} hours, longer than it should. Open the number, read its Account Health tab, then use “Complete registration” or “Reset onboarding”.`,
      details: { state: number.onboardingState, since: number.onboardingStateSince.toISOString() },
      params: {
        number: number.displayPhoneNumber,
        state: number.onboardingState,
        hours,
        sinceAt: number.onboardingStateSince.toISOString(),
      },
    });
    stuck.push(number.id);
  }
  return stuck;
}

/**
 * An admin starts onboarding over: the stuck mark and the state are cleared (kept on the timeline and in the
 * audit log), then a fresh health reading sets the state again. Past register attempts stay counted: Meta's
 * 72-hour budget does not reset with us.
 */
export async function resetOnboarding({
  db,
  phoneNumberId,
  actor,
}: {
  db: Db;
  phoneNumberId: string;
  actor: { userId: string | null; label: string };
}) {
  const number = await db.phoneNumber.findUnique({ where: { id: phoneNumberId }, include: { assignment: { select: { tenantId: true } } } });
  if (!number) {
    throw new AppError("NOT_FOUND", "Phone number not found.", { phoneNumberId });
  }
  await db.$transaction(async (tx) => {
    await tx.phoneNumber.update({
      where: { id: phoneNumberId },
      data: { onboardingState: null, onboardingStateSince: new Date(), stuckAt: null },
    });
    await tx.phoneNumberHealthEvent.create({
      data: {
        phoneNumberId,
        source: "reset",
        field: "onboardingState",
        previousValue: number.onboardingState,
        newValue: null,
        details: { by: actor.label },
      },
    });
    await writeAudit(tx, {
      actor,
      action: "number.onboarding_reset",
      tenantId: number.assignment?.tenantId ?? null,
      targetType: "phone_number",
      targetId: phoneNumberId,
      before: { onboardingState: number.onboardingState, stuckAt: number.stuckAt?.toISOString() ?? null },
      after: { onboardingState: null, stuckAt: null },
    });
  });
}
