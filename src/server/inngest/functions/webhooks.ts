import { getDb } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import { drainWebhookItems } from "@/server/webhooks/process";

/**
 * Backstop for webhook processing. The route processes each batch right after answering Meta; this picks up
 * whatever that missed (a crash between storing and processing, a failed item whose retry time has come).
 */
export const sweepWebhookItems = inngest.createFunction(
  { id: "sweep-webhook-items", triggers: [{ cron: "* * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => step.run("drain pending webhook items", () => drainWebhookItems({ db: getDb() })),
);
