import { evaluateQualityGuard } from "@/server/costs/quality-guard";
import { defineCronJob } from "@/server/jobs/definition";

/** Every 5 minutes: quality drops after a bakery's marketing broadcast pause its marketing (costs/quality-guard.ts). */
export const qualityGuardJob = defineCronJob({
  id: "quality-guard",
  cron: "*/5 * * * *",
  flowControl: { concurrency: { limit: 1 } },
  handler: ({ run, db }) => run.run("pause marketing after quality drops", () => evaluateQualityGuard({ db })),
});
