/**
 * Health and registration jobs for RECADO_JOBS=inline (no Inngest server): the same domain services as the
 * Inngest functions in src/server/inngest/functions/{health,registration}.ts. A registration retry runs one
 * round per job and schedules the next round as a job of its own (the outbox holds it until its time), so no
 * job sleeps for hours in the process.
 */
import { checkNumberHealth, phoneNumberIdsToCheck } from "@/server/health/health";
import { events } from "@/server/inngest/events";
import { enqueueJob } from "@/server/jobs/outbox";
import { registerInlineJob, registerInlineSchedule } from "@/server/jobs/senders";
import { markStuckNumbers } from "@/server/registration/onboarding";
import { giveUpRegistration, registrationRetryMaxRounds, registrationRetryRound } from "@/server/registration/retry";

registerInlineJob(events.registrationRetry, async (data, { db }) => {
  const phoneNumberId = String(data.phoneNumberId);
  const round = typeof data.round === "number" ? data.round : 0;
  if (round >= registrationRetryMaxRounds) {
    await giveUpRegistration({ db, phoneNumberId });
    return;
  }
  const outcome = await registrationRetryRound({ db, phoneNumberId, round });
  if (outcome.done) return;
  const runAfter = outcome.waitUntil ? new Date(outcome.waitUntil) : new Date(Date.now() + (outcome.waitMs ?? 60_000));
  await enqueueJob(db, { name: events.registrationRetry, data: { phoneNumberId, round: round + 1 }, runAfter });
});

registerInlineJob(events.numberHealthCheck, async (data, { db }) => {
  const phoneNumberId = String(data.phoneNumberId);
  const check = await checkNumberHealth({ db, phoneNumberId, source: "poll" });
  const number = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, select: { onboardingState: true } });
  if (check.decision.action === "register" && number.onboardingState !== "NEEDS_ATTENTION") {
    await enqueueJob(db, { name: events.registrationRetry, data: { phoneNumberId } });
  }
});

registerInlineSchedule("health-check-fan-out", 5 * 60_000, async ({ db }) => {
  for (const phoneNumberId of await phoneNumberIdsToCheck({ db })) {
    await enqueueJob(db, { name: events.numberHealthCheck, data: { phoneNumberId } });
  }
});

registerInlineSchedule("onboarding-timeouts", 15 * 60_000, ({ db }) => markStuckNumbers({ db }));
