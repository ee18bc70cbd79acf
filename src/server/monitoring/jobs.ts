import { defineCronJob } from "@/server/jobs/definition";
import { evaluateAllThresholds } from "@/server/monitoring/delivery-rates";

/** Every 15 minutes: each metric against its threshold (broadcasts are also judged as they finish). */
export const deliveryThresholdsJob = defineCronJob({
  id: "delivery-thresholds",
  cron: "*/15 * * * *",
  flowControl: { concurrency: { limit: 1 } },
  handler: ({ run, db }) => run.run("judge every metric against its threshold", () => evaluateAllThresholds({ db })),
});
