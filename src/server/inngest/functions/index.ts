import { broadcastFanOut, broadcastSendChunk } from "@/server/inngest/functions/broadcasts";
import { syncTemplatesSchedule } from "@/server/inngest/functions/templates";
import { sweepWebhookItems } from "@/server/inngest/functions/webhooks";

/** Every function the app serves at /api/inngest. */
export const inngestFunctions = [sweepWebhookItems, syncTemplatesSchedule, broadcastFanOut, broadcastSendChunk];
