/**
 * The in-process background ticker, started once per server (src/instrumentation.ts). Every couple of seconds
 * it relays pending jobs: to Inngest, or — with RECADO_JOBS=inline — to the same job definitions run in this
 * process, and then it stands in for Inngest's crons too (each cron job enqueued on its own expression).
 */
import { getDb, type Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { inngestTransport } from "@/server/inngest/transport";
import { inlineCronScheduler, inlineTransport } from "@/server/jobs/inline-runner";
import { relayJobs } from "@/server/jobs/outbox";
import { jobDefinitions } from "@/server/wiring";

const maxConcurrentRelays = 4;
const globalTicker = globalThis as unknown as { recadoTicker?: NodeJS.Timeout };

/** One tick's work, for the ticker and for a caller that drives background work itself. */
export function backgroundWork(db: Db, { inline }: { inline: boolean }) {
  const transport = inline ? inlineTransport(db, jobDefinitions) : inngestTransport();
  const crons = inline ? inlineCronScheduler(db, jobDefinitions) : null;
  return { relay: () => relayJobs({ db, transport }), tickCrons: (now?: Date) => crons?.tick(now) ?? Promise.resolve([]) };
}

export function startBackgroundTicker({ intervalMs = 2_000 } = {}) {
  if (globalTicker.recadoTicker) return;
  const work = backgroundWork(getDb(), { inline: getEnv().RECADO_JOBS === "inline" });
  let relays = 0;
  let ticking = false;

  globalTicker.recadoTicker = setInterval(() => {
    // Relays run side by side (claims skip each other), so one long inline job does not hold up the rest.
    if (relays < maxConcurrentRelays) {
      relays += 1;
      work
        .relay()
        .catch((error: Error) => console.error("jobs: relay failed:", error.message))
        .finally(() => (relays -= 1));
    }
    if (ticking) return;
    ticking = true;
    work
      .tickCrons()
      .catch((error: Error) => console.error("jobs: cron tick failed:", error.message))
      .finally(() => (ticking = false));
  }, intervalMs);
  globalTicker.recadoTicker.unref();
}
