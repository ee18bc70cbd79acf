import { getDb } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import { events } from "@/server/inngest/events";
import { giveUpRegistration, registrationRetryMaxRounds, registrationRetryRound } from "@/server/registration/retry";

/**
 * Retries registration of one number with growing waits until it is provisioned (src/server/registration/
 * retry.ts). One run per number at a time (singleton: a second request while one runs is skipped).
 */
export const registrationRetry = inngest.createFunction(
  {
    id: "registration-retry",
    triggers: [{ event: events.registrationRetry }],
    singleton: { key: "event.data.phoneNumberId", mode: "skip" },
    retries: 3,
  },
  async ({ event, step }) => {
    const phoneNumberId = String(event.data.phoneNumberId);
    for (let round = 0; round < registrationRetryMaxRounds; round++) {
      const outcome = await step.run(`attempt ${round + 1}`, () => registrationRetryRound({ db: getDb(), phoneNumberId, round }));
      if (outcome.done) return { rounds: round + 1, reason: outcome.reason, outcome: outcome.result?.outcome ?? null };
      if (outcome.waitUntil) await step.sleepUntil(`wait for budget ${round + 1}`, new Date(outcome.waitUntil));
      else await step.sleep(`wait ${round + 1}`, outcome.waitMs ?? 60_000);
    }
    await step.run("give up", () => giveUpRegistration({ db: getDb(), phoneNumberId }));
    return { rounds: registrationRetryMaxRounds, reason: "gave_up", outcome: null };
  },
);
