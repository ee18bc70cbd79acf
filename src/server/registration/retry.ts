/**
 * The durable registration retry (the `registration-retry` job, src/server/registration/jobs.ts): one round = one attempt if
 * the budget allows, then a wait that grows each round. It stops when the number is provisioned or when the
 * failure needs a person, and it never spends more than Meta's 10 register calls per 72 hours: the budget is
 * read from the attempts table before every call, so manual attempts and other runs count too.
 */
import type { Db } from "@/server/db";
import { attemptRegistration, registrationBudgetState, type RegistrationAttemptResult } from "@/server/registration/attempts";
import { setOnboardingState } from "@/server/health/onboarding";
import { jobEvents } from "@/server/jobs/events";
import { enqueueJob } from "@/server/jobs/outbox";

const MINUTE = 60_000;

/** Waits between rounds: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, then 24 h. */
export const registrationRetryDelaysMs = [1, 5, 15, 30, 60, 120, 240, 480, 720, 1440].map((m) => m * MINUTE);
/** Rounds before the retry gives up and hands the number to a person (about 4 days with the waits above). */
export const registrationRetryMaxRounds = 14;

export type RetryRound =
  | { done: true; result: RegistrationAttemptResult | null; reason: string }
  | { done: false; result: RegistrationAttemptResult | null; waitUntil?: string; waitMs?: number };

export function retryDelayMs(round: number): number {
  return registrationRetryDelaysMs[Math.min(round, registrationRetryDelaysMs.length - 1)]!;
}

export async function registrationRetryRound({
  db,
  phoneNumberId,
  round,
  now = () => new Date(),
}: {
  db: Db;
  phoneNumberId: string;
  round: number;
  now?: () => Date;
}): Promise<RetryRound> {
  const budget = await registrationBudgetState({ db, phoneNumberId, now: now() });
  if (budget.left === 0) return { done: false, result: null, waitUntil: budget.nextSlotAt.toISOString() };
  const result = await attemptRegistration({ db, phoneNumberId, trigger: "retry", now });
  if (result.outcome === "registered" || result.outcome === "already_registered") return { done: true, result, reason: "provisioned" };
  if (!result.retryable) return { done: true, result, reason: "needs_attention" };
  if (result.outcome === "budget_exhausted" && result.nextSlotAt) return { done: false, result, waitUntil: result.nextSlotAt };
  return { done: false, result, waitMs: retryDelayMs(round) };
}

/** After the last round: the number did not get through on its own. */
export async function giveUpRegistration({ db, phoneNumberId }: { db: Db; phoneNumberId: string }) {
  await setOnboardingState({ db, phoneNumberId, state: "NEEDS_ATTENTION", source: "registration", detail: "automatic retries exhausted" });
}

/**
 * Hands a number to the durable retry when an attempt said "not yet" (through the job outbox: kept in Postgres
 * until Inngest — or the in-process runner — takes it). Answers whether a retry was scheduled.
 */
export async function scheduleRegistrationRetry({ db, phoneNumberId, when = true }: { db: Db; phoneNumberId: string; when?: boolean }) {
  if (!when) return false;
  await enqueueJob(db, { event: jobEvents.registrationRetry, data: { phoneNumberId } });
  return true;
}
