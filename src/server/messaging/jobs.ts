import { defineCronJob } from "@/server/jobs/definition";
import { runMarketingRetries } from "@/server/messaging/marketing-retry";

/** Every 15 minutes: messages Meta limited with 131049 whose 24 h are over are sent once more (messaging/marketing-retry.ts). */
export const marketingLimitRetryJob = defineCronJob({
  id: "marketing-limit-retry",
  cron: "*/15 * * * *",
  flowControl: { concurrency: { limit: 1 } },
  handler: ({ run, db }) => run.run("send the due 131049 retries once", () => runMarketingRetries({ db })),
});
