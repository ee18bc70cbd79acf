import { getDb } from "@/server/db";
import { checkNumberHealth, phoneNumberIdsToCheck } from "@/server/health/health";
import { inngest } from "@/server/inngest/client";
import { events } from "@/server/inngest/events";
import { markStuckNumbers } from "@/server/registration/onboarding";

/** Every 5 minutes by default (HEALTH_CHECK_CRON, validated in src/server/env.ts). Read at load: no env needed to build. */
export const healthCheckCron = process.env.HEALTH_CHECK_CRON || "*/5 * * * *";

/** Fans out one durable health check per number; each check runs, retries and fails on its own. */
export const healthCheckFanOut = inngest.createFunction(
  { id: "health-check-fan-out", triggers: [{ cron: healthCheckCron }], concurrency: { limit: 1 } },
  async ({ step }) => {
    const ids = await step.run("list numbers", () => phoneNumberIdsToCheck({ db: getDb() }));
    if (ids.length === 0) return { numbers: 0 };
    await step.sendEvent(
      "fan out health checks",
      ids.map((phoneNumberId) => ({ name: events.numberHealthCheck, data: { phoneNumberId } })),
    );
    return { numbers: ids.length };
  },
);

/**
 * One number's health check (bounded concurrency: Meta's management API allows a few hundred calls per hour per
 * app, §6.6). A number the rule says to register gets a registration retry started (skipped when one runs).
 */
export const numberHealthCheck = inngest.createFunction(
  { id: "number-health-check", triggers: [{ event: events.numberHealthCheck }], concurrency: { limit: 5 }, retries: 2 },
  async ({ event, step }) => {
    const phoneNumberId = String(event.data.phoneNumberId);
    const result = await step.run("check health", async () => {
      const check = await checkNumberHealth({ db: getDb(), phoneNumberId, source: "poll" });
      const { onboardingState } = await getDb().phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, select: { onboardingState: true } });
      return { ok: check.ok, decision: check.decision.action, onboardingState };
    });
    if (result.decision === "register" && result.onboardingState !== "NEEDS_ATTENTION") {
      await step.sendEvent("start registration retry", { name: events.registrationRetry, data: { phoneNumberId } });
    }
    return result;
  },
);

/** Marks numbers that overstayed their onboarding state's timeout as stuck, and alerts (once per stay). */
export const onboardingTimeouts = inngest.createFunction(
  { id: "onboarding-timeouts", triggers: [{ cron: "*/15 * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => {
    const stuck = await step.run("mark stuck numbers", () => markStuckNumbers({ db: getDb() }));
    return { stuck: stuck.length };
  },
);
