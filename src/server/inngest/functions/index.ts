import { broadcastFanOut, broadcastSendChunk } from "@/server/inngest/functions/broadcasts";
import { healthCheckFanOut, numberHealthCheck, onboardingTimeouts } from "@/server/inngest/functions/health";
import { registrationRetry } from "@/server/inngest/functions/registration";
import { syncTemplatesSchedule } from "@/server/inngest/functions/templates";
import { sweepWebhookItems } from "@/server/inngest/functions/webhooks";

/** Every function the app serves at /api/inngest. */
export const inngestFunctions = [
  sweepWebhookItems,
  healthCheckFanOut,
  numberHealthCheck,
  registrationRetry,
  onboardingTimeouts,
  syncTemplatesSchedule,
  broadcastFanOut,
  broadcastSendChunk,
];
