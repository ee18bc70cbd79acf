import { defineCronJob } from "@/server/jobs/definition";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import { drainWebhookItems } from "@/server/webhooks/process";

/**
 * Backstop for webhook processing. The route processes each batch right after answering Meta; this picks up
 * whatever that missed (a crash between storing and processing, a failed item whose retry time has come).
 * Built with the handlers the wiring lists.
 */
export const sweepWebhookItemsJob = (handlers: WebhookHandlers) =>
  defineCronJob({
    id: "sweep-webhook-items",
    cron: "* * * * *",
    flowControl: { concurrency: { limit: 1 } },
    handler: ({ run, db }) => run.run("drain pending webhook items", () => drainWebhookItems({ db, handlers })),
  });
