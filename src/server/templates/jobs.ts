import { defineCronJob } from "@/server/jobs/definition";
import { syncAllTemplates } from "@/server/templates/templates";

/** Templates change on Meta's side (reviews, pauses, edits in Business Manager): re-read them every hour. */
export const syncTemplatesJob = defineCronJob({
  id: "sync-templates",
  cron: "17 * * * *",
  flowControl: { concurrency: { limit: 1 } },
  handler: ({ run, db }) => run.run("sync every account's templates", () => syncAllTemplates({ db })),
});
