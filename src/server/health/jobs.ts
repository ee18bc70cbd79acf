import { checkNumberHealth, phoneNumberIdsToCheck } from "@/server/health/health";
import { defineCronJob, defineEventJob } from "@/server/jobs/definition";
import { jobEvents } from "@/server/jobs/events";
import { markStuckNumbers } from "@/server/health/onboarding";

/** Every 5 minutes by default (HEALTH_CHECK_CRON, validated in src/server/env.ts). Read at load: no env needed to build. */
export const healthCheckCron = process.env.HEALTH_CHECK_CRON || "*/5 * * * *";

/** Fans out one durable health check per number; each check runs, retries and fails on its own. */
export const healthCheckFanOutJob = defineCronJob({
  id: "health-check-fan-out",
  cron: healthCheckCron,
  flowControl: { concurrency: { limit: 1 } },
  async handler({ run, db }) {
    const ids = await run.run("list numbers", () => phoneNumberIdsToCheck({ db }));
    if (ids.length === 0) return { numbers: 0 };
    await run.sendEvent(
      "fan out health checks",
      ids.map((phoneNumberId) => ({ event: jobEvents.numberHealthCheck, data: { phoneNumberId } })),
    );
    return { numbers: ids.length };
  },
});

/**
 * One number's health check (bounded concurrency: Meta's management API allows a few hundred calls per hour per
 * app). A number the rule says to register gets a registration retry started (skipped when one runs).
 */
export const numberHealthCheckJob = defineEventJob({
  id: "number-health-check",
  on: jobEvents.numberHealthCheck,
  flowControl: { concurrency: { limit: 5 }, retries: 2 },
  async handler({ payload: { phoneNumberId }, run, db }) {
    const result = await run.run("check health", async () => {
      const check = await checkNumberHealth({ db, phoneNumberId, source: "poll" });
      const { onboardingState } = await db.phoneNumber.findUniqueOrThrow({
        where: { id: phoneNumberId },
        select: { onboardingState: true },
      });
      return { ok: check.ok, decision: check.decision.action, onboardingState };
    });
    if (result.decision === "register" && result.onboardingState !== "NEEDS_ATTENTION") {
      await run.sendEvent("start registration retry", { event: jobEvents.registrationRetry, data: { phoneNumberId } });
    }
    return result;
  },
});

/** Marks numbers that overstayed their onboarding state's timeout as stuck, and alerts (once per stay). */
export const onboardingTimeoutsJob = defineCronJob({
  id: "onboarding-timeouts",
  cron: "*/15 * * * *",
  flowControl: { concurrency: { limit: 1 } },
  async handler({ run, db }) {
    const stuck = await run.run("mark stuck numbers", () => markStuckNumbers({ db }));
    return { stuck: stuck.length };
  },
});
