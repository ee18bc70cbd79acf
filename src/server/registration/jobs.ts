import { defineEventJob } from "@/server/jobs/definition";
import { jobEvents } from "@/server/jobs/events";
import { giveUpRegistration, registrationRetryMaxRounds, registrationRetryRound } from "@/server/registration/retry";

/**
 * Retries registration of one number with growing waits until it is provisioned (src/server/registration/
 * retry.ts). One run per number at a time (singleton: a second request while one runs is skipped).
 */
export const registrationRetryJob = defineEventJob({
  id: "registration-retry",
  on: jobEvents.registrationRetry,
  flowControl: { singleton: { key: "event.data.phoneNumberId", mode: "skip" }, retries: 3 },
  async handler({ payload: { phoneNumberId }, run, db }) {
    for (let round = 0; round < registrationRetryMaxRounds; round++) {
      const outcome = await run.run(`attempt ${round + 1}`, () => registrationRetryRound({ db, phoneNumberId, round }));
      if (outcome.done) return { rounds: round + 1, reason: outcome.reason, outcome: outcome.result?.outcome ?? null };
      if (outcome.waitUntil) await run.sleepUntil(`wait for budget ${round + 1}`, new Date(outcome.waitUntil));
      else await run.sleep(`wait ${round + 1}`, outcome.waitMs ?? 60_000);
    }
    await run.run("give up", () => giveUpRegistration({ db, phoneNumberId }));
    return { rounds: registrationRetryMaxRounds, reason: "gave_up", outcome: null };
  },
});
