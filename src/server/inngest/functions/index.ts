import { healthCheckFanOut, numberHealthCheck, onboardingTimeouts } from "@/server/inngest/functions/health";
import { registrationRetry } from "@/server/inngest/functions/registration";
import { sweepWebhookItems } from "@/server/inngest/functions/webhooks";
import { syncTemplatesSchedule } from "@/server/inngest/functions/templates";

/** Every function the app serves at /api/inngest. */
export const inngestFunctions = [
  sweepWebhookItems,
  healthCheckFanOut,
  numberHealthCheck,
  registrationRetry,
  onboardingTimeouts,
  syncTemplatesSchedule,
];
