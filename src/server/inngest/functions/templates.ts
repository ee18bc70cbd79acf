import { getDb } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import { syncAllTemplates } from "@/server/templates/templates";

/** Templates change on Meta's side (reviews, pauses, edits in Business Manager): re-read them every hour. */
export const syncTemplatesSchedule = inngest.createFunction(
  { id: "sync-templates", triggers: [{ cron: "17 * * * *" }, { event: "templates/sync.requested" }], concurrency: { limit: 1 } },
  async ({ step }) => step.run("sync every account's templates", () => syncAllTemplates({ db: getDb() })),
);
