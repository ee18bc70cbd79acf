import {
  auditRetentionRun,
  clearExpiredContent,
  deleteDispatchedJobRows,
  deleteExpiredDeliveryLogs,
  type RetentionCounts,
  type RetentionPeriods,
} from "@/server/compliance/retention";
import { getEnv, type Env } from "@/server/env";
import { defineCronJob } from "@/server/jobs/definition";

/** Daily at 03:30 UTC by default (RETENTION_CRON, validated in src/server/env.ts). Read at load: no env needed to build. */
export const retentionCron = process.env.RETENTION_CRON || "30 3 * * *";

export function retentionPeriodsFromEnv(
  env: Pick<Env, "RETENTION_CONTENT_DAYS" | "RETENTION_DELIVERY_LOG_DAYS" | "RETENTION_JOB_OUTBOX_DAYS">,
): RetentionPeriods {
  return {
    contentDays: env.RETENTION_CONTENT_DAYS,
    deliveryLogDays: env.RETENTION_DELIVERY_LOG_DAYS,
    jobOutboxDays: env.RETENTION_JOB_OUTBOX_DAYS,
  };
}

/**
 * Clears message content and deletes delivery logs and dispatched outbox rows past their retention periods
 * (src/server/compliance/retention.ts), then writes the counts to the audit trail. One run at a time; each part
 * is its own step, so a retried run does not redo the parts that finished.
 */
export const retentionJob = defineCronJob({
  id: "data-retention",
  cron: retentionCron,
  flowControl: { concurrency: { limit: 1 }, retries: 2 },
  async handler({ run, db }) {
    // the cut-offs of one run are fixed once, so a replayed step purges against the same clock
    const { now, periods } = await run.run("fix the cut-offs", async () => ({
      now: new Date().toISOString(),
      periods: retentionPeriodsFromEnv(getEnv()),
    }));
    const at = new Date(now);
    const content = await run.run("clear message content", () => clearExpiredContent({ db, now: at, contentDays: periods.contentDays }));
    const logs = await run.run("delete delivery logs", () =>
      deleteExpiredDeliveryLogs({ db, now: at, deliveryLogDays: periods.deliveryLogDays }),
    );
    const outbox = await run.run("delete dispatched job rows", () =>
      deleteDispatchedJobRows({ db, now: at, jobOutboxDays: periods.jobOutboxDays }),
    );
    const counts: RetentionCounts = { ...content, ...logs, ...outbox };
    await run.run("write the audit entry", () => auditRetentionRun({ db, now: at, periods, counts }));
    return counts;
  },
});
