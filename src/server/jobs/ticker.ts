/**
 * The in-process background ticker, started once per server (src/instrumentation.ts). Every couple of seconds
 * it relays pending jobs (to Inngest, or inline). With RECADO_JOBS=inline it also stands in for the Inngest
 * crons that cannot run without an Inngest server: the webhook sweeper and whatever schedules domain modules
 * register with `registerInlineSchedule`.
 */
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { relayJobs } from "@/server/jobs/outbox";
import { inlineSchedules, inlineSender, inngestSender, registerInlineSchedule } from "@/server/jobs/senders";
import "@/server/health/inline";
import { drainWebhookItems } from "@/server/webhooks/process";
import "@/server/broadcasts/inline";


const maxConcurrentRelays = 4;
const globalTicker = globalThis as unknown as { recadoTicker?: NodeJS.Timeout };

export function startBackgroundTicker({ intervalMs = 2_000 } = {}) {
  if (globalTicker.recadoTicker) return;
  const env = getEnv();
  const inline = env.RECADO_JOBS === "inline";
  const db = getDb();
  const sender = inline ? inlineSender(db) : inngestSender();
  let relays = 0;
  if (inline) registerInlineSchedule("sweep-webhook-items", 30_000, () => drainWebhookItems({ db }));

  globalTicker.recadoTicker = setInterval(() => {
    // Relays run side by side (claims skip each other), so one long inline job does not hold up the rest.
    if (relays < maxConcurrentRelays) {
      relays += 1;
      relayJobs({ db, sender })
        .catch((error: Error) => console.error("jobs: relay failed:", error.message))
        .finally(() => (relays -= 1));
    }
    if (!inline) return;
    const now = Date.now();
    for (const schedule of inlineSchedules) {
      if (schedule.running || now - schedule.lastRunAt < schedule.everyMs) continue;
      schedule.running = true;
      schedule.lastRunAt = now;
      schedule
        .run({ db })
        .catch((error: Error) => console.error(`jobs: ${schedule.name} failed:`, error.message))
        .finally(() => (schedule.running = false));
    }
  }, intervalMs);
  globalTicker.recadoTicker.unref();
}
