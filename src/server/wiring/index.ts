/**
 * The one place that wires Recado's background work: every job definition, every webhook handler, and the
 * local stand-ins handed to the domains. Domains export plain definitions and handlers and register nothing;
 * the Inngest route (src/app/api/inngest), the background ticker (./ticker.ts), the webhook route and the tRPC
 * route import this list. Nothing in src/server/<domain> imports it.
 */
import { broadcastFanOutJob, broadcastSendChunkJob } from "@/server/broadcasts/jobs";
import { retentionJob } from "@/server/compliance/jobs";
import { contactWebhookHandlers } from "@/server/contacts/webhooks";
import { qualityGuardJob } from "@/server/costs/jobs";
import { marketingLimitRetryJob } from "@/server/messaging/jobs";
import type { Env } from "@/server/env";
import { healthCheckFanOutJob, numberHealthCheckJob, onboardingTimeoutsJob } from "@/server/health/jobs";
import { healthWebhookHandlers } from "@/server/health/webhooks";
import type { JobDefinition } from "@/server/jobs/definition";
import { messagingWebhookHandlers } from "@/server/messaging/webhooks";
import { deliveryThresholdsJob } from "@/server/monitoring/jobs";
import { registrationRetryJob } from "@/server/registration/jobs";
import { registrationWebhookHandlers } from "@/server/registration/webhooks";
import type { SimulatedSignupPopup } from "@/server/signup/simulated-popup";
import { syncTemplatesJob } from "@/server/templates/jobs";
import { templateWebhookHandlers } from "@/server/templates/webhooks";
import { recordOnlyWebhookHandlers, type WebhookHandlers } from "@/server/webhooks/dispatch";
import { sweepWebhookItemsJob } from "@/server/webhooks/jobs";
import { simulatorSignupPopup } from "@/server/wiring/simulator-signup-popup";

/** Every documented field is at least recorded; the domains' handlers apply the fields they own. */
export const webhookHandlers: WebhookHandlers = {
  ...recordOnlyWebhookHandlers,
  ...healthWebhookHandlers,
  ...registrationWebhookHandlers,
  ...messagingWebhookHandlers,
  ...templateWebhookHandlers,
  ...contactWebhookHandlers,
};

/** Every background job, served by Inngest at /api/inngest or run in process with RECADO_JOBS=inline. */
export const jobDefinitions: JobDefinition[] = [
  sweepWebhookItemsJob(webhookHandlers),
  healthCheckFanOutJob,
  numberHealthCheckJob,
  registrationRetryJob,
  onboardingTimeoutsJob,
  syncTemplatesJob,
  broadcastFanOutJob,
  broadcastSendChunkJob,
  deliveryThresholdsJob,
  retentionJob,
  marketingLimitRetryJob,
  qualityGuardJob,
];

/** Local mode: Recado talks to the bundled simulator, not to Meta's Graph API. */
export const isLocalMode = (env: Pick<Env, "META_GRAPH_BASE_URL">) => !/graph\.facebook\.com/.test(env.META_GRAPH_BASE_URL);

/** The simulated Embedded Signup popup, for local mode only. */
export function simulatedSignupPopupFor(env: Pick<Env, "META_GRAPH_BASE_URL">): SimulatedSignupPopup | null {
  return isLocalMode(env) ? simulatorSignupPopup : null;
}
