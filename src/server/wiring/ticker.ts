/**
 * The in-process background ticker, started once per server (src/instrumentation.ts). Every couple of seconds
 * it relays pending jobs: to Inngest, or — with RECADO_JOBS=inline — to the same job definitions run in this
 * process, and then it stands in for Inngest's crons too (each cron job enqueued on its own expression).
 */
import { getDb, type Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { inngestTransport } from "@/server/inngest/transport";
import { inlineCronScheduler, inlineTransport } from "@/server/jobs/inline-runner";
import { relayJobs, type JobTransport } from "@/server/jobs/outbox";
import { jobDefinitions } from "@/server/wiring";

const maxConcurrentRelays = 4;
// on globalThis: the ticker (instrumentation) and route handlers are separate bundles, and inline flow control
// (one chunk per number at a time) holds only if the process has one inline transport
const globalJobs = globalThis as unknown as {
  recadoTicker?: NodeJS.Timeout;
  recadoInlineJobs?: JobTransport;
  recadoJobs?: { held: boolean; relays: number };
};
const tickerState = () => (globalJobs.recadoJobs ??= { held: false, relays: 0 });

/** This process's inline transport for every job the wiring lists. */
export function inlineJobs(db: Db): JobTransport {
  return (globalJobs.recadoInlineJobs ??= inlineTransport(db, jobDefinitions));
}

/** One tick's work, for the ticker and for a caller that drives background work itself. */
export function backgroundWork(db: Db, { inline }: { inline: boolean }) {
  const transport = inline ? inlineJobs(db) : inngestTransport();
  const crons = inline ? inlineCronScheduler(db, jobDefinitions) : null;
  return { relay: () => relayJobs({ db, transport }), tickCrons: (now?: Date) => crons?.tick(now) ?? Promise.resolve([]) };
}

/**
 * Local mode: holds the ticker (no relay, no cron) until released, and returns once the relays it had started
 * have ended — so an e2e spec can read a state the background work would otherwise change under it.
 */
export async function holdBackgroundJobs(held: boolean, { timeoutMs = 30_000 } = {}) {
  const state = tickerState();
  state.held = held;
  const deadline = Date.now() + timeoutMs;
  while (held && state.relays > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { held, relaysRunning: state.relays };
}

/**
 * Local mode, inline jobs: runs every waiting job now instead of at its time (a sleeping retry, a queued chunk),
 * round after round until none is waiting or running. What an e2e spec calls so that a job left over from the
 * spec before it cannot act in the middle of its own (rather than racing the ticker).
 */
export async function settleInlineJobs(db: Db, { timeoutMs = 30_000 } = {}) {
  const transport = inlineJobs(db);
  const deadline = Date.now() + timeoutMs;
  for (let round = 1; Date.now() < deadline; round++) {
    // attempts = 0: waiting (never claimed, or handed back by a sleep); a claimed run counts an attempt while it
    // runs; a failed one (lastError) waits out its backoff and is not waited for
    await db.jobOutbox.updateMany({ where: { dispatchedAt: null, attempts: 0 }, data: { nextAttemptAt: new Date() } });
    await relayJobs({ db, transport });
    const left = await db.jobOutbox.count({
      where: { dispatchedAt: null, OR: [{ attempts: 0 }, { nextAttemptAt: { gt: new Date() }, lastError: null }] },
    });
    if (left === 0) return { settled: true, rounds: round };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { settled: false, rounds: 0 };
}

export function startBackgroundTicker({ intervalMs = 2_000 } = {}) {
  if (globalJobs.recadoTicker) return;
  const work = backgroundWork(getDb(), { inline: getEnv().RECADO_JOBS === "inline" });
  const state = tickerState();
  let ticking = false;

  globalJobs.recadoTicker = setInterval(() => {
    if (state.held) return;
    // Relays run side by side (claims skip each other), so one long inline job does not hold up the rest.
    if (state.relays < maxConcurrentRelays) {
      state.relays += 1;
      work
        .relay()
        .catch((error: Error) => console.error("jobs: relay failed:", error.message))
        .finally(() => (state.relays -= 1));
    }
    if (ticking) return;
    ticking = true;
    work
      .tickCrons()
      .catch((error: Error) => console.error("jobs: cron tick failed:", error.message))
      .finally(() => (ticking = false));
  }, intervalMs);
  globalJobs.recadoTicker.unref();
}
