/**
 * The in-process provider of the job run interface (RECADO_JOBS=inline: `npm start`, the e2e suite, any
 * machine without an Inngest server). It runs the very handlers Inngest runs, on rows of the job outbox:
 * - `run` keeps each finished step's result in the row's `runState`, so a run picked up again skips it;
 * - a short `sleep` waits in the process; a long one (or `sleepUntil`) hands the row back with a later run-at;
 * - `waitForEvent` looks for the event in the outbox and, until it comes or times out, polls at a later run-at;
 * - `sendEvent` enqueues into the outbox (idempotent per run and step, so a replay sends nothing twice);
 * - flow control: concurrency (per key) and singleton are held in this process and by the outbox; cancelOn ends
 *   a run once the cancelling event is in the outbox; throttle is Inngest's only (pacing guards Meta's limits).
 * Crons: `inlineCronScheduler` enqueues a run of each cron job on its expression (cron-parser), once per tick
 * however many app instances tick (the row id is the job and the scheduled minute).
 */
import { CronExpressionParser } from "cron-parser";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { keyField, type JobDefinition, type JobLogger, type JobRun, type OutgoingEvent } from "@/server/jobs/definition";
import { jobEvents, parsePayload, type JobEventDefinition } from "@/server/jobs/events";
import { enqueueJob, insertOutboxRow, type JobTransport, type OutboxRow, type TransportOutcome } from "@/server/jobs/outbox";

type RunState = { startedAt: string; steps: Record<string, { value?: unknown }>; waits: Record<string, string>; result?: unknown };

class Suspended {
  constructor(readonly runAfter: Date) {}
}

export type InlineOptions = {
  /** sleeps up to this long wait in the process; longer ones give the row back with a later run-at */
  inProcessSleepMaxMs?: number;
  /** how often a run waiting for an event looks for it */
  waitPollMs?: number;
  /** how long a claimed run waits in the process for its concurrency key before it is handed back */
  queuedWaitMaxMs?: number;
  /** the claim's lease (inlineLeaseMs; a test shortens it) */
  leaseMs?: number;
  logger?: JobLogger;
};

/** How long an inline run's claim lasts without renewal (src/server/jobs/outbox.ts renews it while the run lives). */
export const inlineLeaseMs = 15_000;

/** The outbox row name of a cron job's runs (inline only: Inngest runs crons itself). */
export const cronRowName = (jobId: string) => `cron:${jobId}`;

const consoleLogger = (jobId: string): JobLogger => ({
  info: (message, extra) => console.log(`jobs: ${jobId}: ${message}`, extra ?? ""),
  warn: (message, extra) => console.warn(`jobs: ${jobId}: ${message}`, extra ?? ""),
  error: (message, extra) => console.error(`jobs: ${jobId}: ${message}`, extra ?? ""),
});

/** Which job a row runs: its event's (at most one job per event inline), or the cron job it names. */
function indexDefinitions(definitions: JobDefinition[]) {
  const byEvent = new Map<string, { job: JobDefinition; event: JobEventDefinition }>();
  const byCronRow = new Map<string, JobDefinition>();
  for (const job of definitions) {
    if (job.trigger.kind === "cron") {
      byCronRow.set(cronRowName(job.id), job);
      continue;
    }
    for (const event of job.trigger.events) {
      const other = byEvent.get(event.name);
      if (other) throw new Error(`jobs: ${event.name} triggers both ${other.job.id} and ${job.id}; inline runs one job per event`);
      byEvent.set(event.name, { job, event });
    }
  }
  return { byEvent, byCronRow };
}

/** The relay target for RECADO_JOBS=inline: runs the job each claimed row stands for, in this process. */
export function inlineTransport(db: Db, definitions: JobDefinition[], options: InlineOptions = {}): JobTransport {
  const { inProcessSleepMaxMs = 30_000, waitPollMs = 5_000, queuedWaitMaxMs = 5 * 60_000, leaseMs = inlineLeaseMs } = options;
  const { byEvent, byCronRow } = indexDefinitions(definitions);
  const running = new Map<string, number>();
  const queued = new Map<string, (() => void)[]>();

  /** Takes a slot of `key`, or queues for one (first come, first served) up to `queuedWaitMaxMs`. */
  function acquire(key: string, limit: number): Promise<boolean> {
    if ((running.get(key) ?? 0) < limit) {
      running.set(key, (running.get(key) ?? 0) + 1);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const line = queued.get(key) ?? [];
      queued.set(key, line);
      const take = () => {
        clearTimeout(timer);
        running.set(key, (running.get(key) ?? 0) + 1);
        resolve(true);
      };
      const timer = setTimeout(() => {
        line.splice(line.indexOf(take), 1);
        resolve(false);
      }, queuedWaitMaxMs);
      line.push(take);
    });
  }
  function release(key: string) {
    running.set(key, (running.get(key) ?? 1) - 1);
    queued.get(key)?.shift()?.();
  }
  const knownEvents = new Set(Object.values(jobEvents).map((event) => event.name));

  const flowKey = (job: JobDefinition, payload: Record<string, unknown>, expression?: string) =>
    `${job.id}:${expression ? String(payload[keyField(expression)]) : "*"}`;

  /** Another run of a singleton job asleep in the outbox with the same key (one running here is seen in `running`). */
  async function singletonAsleep(job: JobDefinition, row: OutboxRow, payload: Record<string, unknown>) {
    const singleton = job.flowControl.singleton;
    if (!singleton || job.trigger.kind !== "event") return false;
    const field = keyField(singleton.key);
    const names = job.trigger.events.map((event) => event.name);
    const [other] = await db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "job_outbox"
      WHERE "id" <> ${row.id} AND "dispatchedAt" IS NULL AND "runState" IS NOT NULL
        AND "name" = ANY(${names}) AND "data"->>${field} = ${String(payload[field])}
      LIMIT 1`;
    return Boolean(other);
  }

  async function cancelled(job: JobDefinition, payload: Record<string, unknown>, since: Date) {
    for (const { event, match } of job.flowControl.cancelOn ?? []) {
      const [found] = await db.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "job_outbox" WHERE "name" = ${event.name} AND "createdAt" >= ${since} AND "data"->>${match} = ${String(payload[match])} LIMIT 1`;
      if (found) return true;
    }
    return false;
  }

  function runInterface(job: JobDefinition, row: OutboxRow, payload: Record<string, unknown>, state: RunState): JobRun {
    const done = (stepId: string) => Object.prototype.hasOwnProperty.call(state.steps, stepId);
    const keep = <T>(stepId: string, value: T): T => {
      // stored as JSON, as Inngest stores step results: the first run and a replay see the same value
      const stored = value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
      state.steps[stepId] = { value: stored };
      return stored as T;
    };
    const sleepFor = async (stepId: string, ms: number) => {
      if (done(stepId)) return;
      if (ms > inProcessSleepMaxMs) {
        keep(stepId, undefined);
        throw new Suspended(new Date(Date.now() + ms));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      keep(stepId, undefined);
    };
    return {
      async run(stepId, fn) {
        if (done(stepId)) return state.steps[stepId]!.value as never;
        return keep(stepId, await fn());
      },
      sleep: sleepFor,
      sleepUntil: (stepId, at) => sleepFor(stepId, new Date(at).getTime() - Date.now()),
      async waitForEvent(stepId, { event, match, timeoutMs }) {
        if (done(stepId)) return state.steps[stepId]!.value as never;
        const since = new Date((state.waits[stepId] ??= new Date().toISOString()));
        const [found] = await db.$queryRaw<{ data: Prisma.JsonObject }[]>`
          SELECT "data" FROM "job_outbox"
          WHERE "name" = ${event.name} AND "createdAt" >= ${since}
            AND (${match ?? null}::text IS NULL OR "data"->>${match ?? ""} = ${match ? String(payload[match]) : ""})
          ORDER BY "createdAt" LIMIT 1`;
        if (found) return keep(stepId, parsePayload(event, found.data)) as never;
        if (Date.now() >= since.getTime() + timeoutMs) return keep(stepId, null);
        throw new Suspended(new Date(Math.min(Date.now() + waitPollMs, since.getTime() + timeoutMs)));
      },
      async sendEvent(stepId, events) {
        if (done(stepId)) return;
        const list: OutgoingEvent[] = Array.isArray(events) ? events : [events];
        for (const { event, data } of list) parsePayload(event, data); // all or nothing: check every payload first
        for (const [i, { event, data }] of list.entries()) await enqueueJob(db, { id: `${row.id}:${stepId}:${i}`, event, data });
        keep(stepId, undefined);
      },
      logger: options.logger ?? consoleLogger(job.id),
    };
  }

  async function runRow(row: OutboxRow, outcome: Required<TransportOutcome>) {
    const target = row.name.startsWith("cron:") ? byCronRow.get(row.name) : byEvent.get(row.name)?.job;
    if (!target && knownEvents.has(row.name)) {
      outcome.delivered.push(row.id); // an event no job runs inline (cancel: the chunk reads the broadcast's status)
      return;
    }
    if (!target) {
      outcome.failed.push({ id: row.id, error: `no job runs ${row.name} inline` });
      return;
    }
    const source = byEvent.get(row.name)?.event;
    let payload: Record<string, unknown> = {};
    try {
      if (source) payload = parsePayload(source, row.data);
    } catch (error) {
      outcome.refused.push({ id: row.id, error: (error as Error).message });
      return;
    }
    const concurrency = target.flowControl.concurrency;
    const key = flowKey(target, payload, concurrency?.key);
    // asked before the first await: rows claimed together queue in the order they were enqueued
    if (!(await acquire(key, concurrency?.limit ?? Number.MAX_SAFE_INTEGER))) {
      outcome.later.push({ id: row.id, runAfter: new Date() });
      return;
    }
    const singletonKey = target.flowControl.singleton ? `singleton:${flowKey(target, payload, target.flowControl.singleton.key)}` : null;
    try {
      const state = (row.runState as RunState | null) ?? { startedAt: new Date().toISOString(), steps: {}, waits: {} };
      // another run of this job holds the key: skipped, as Inngest's singleton skips (taken before any await)
      if (singletonKey && (running.get(singletonKey) ?? 0) > 0) {
        outcome.delivered.push(row.id);
        return;
      }
      if (singletonKey) running.set(singletonKey, 1);
      try {
        if (!row.runState && (await singletonAsleep(target, row, payload))) {
          outcome.delivered.push(row.id);
          return;
        }
        if (await cancelled(target, payload, new Date(state.startedAt))) {
          outcome.delivered.push(row.id);
          return;
        }
        const result = await target.handler({ payload, run: runInterface(target, row, payload, state), db });
        // kept with the row, as Inngest keeps a run's output: what the run did, for a person (or a test) to read
        const finished = JSON.stringify({ ...state, result: result ?? null });
        await db.$executeRaw`UPDATE "job_outbox" SET "runState" = ${finished}::jsonb WHERE "id" = ${row.id}`;
        outcome.delivered.push(row.id);
      } catch (error) {
        if (error instanceof Suspended)
          outcome.later.push({ id: row.id, runAfter: error.runAfter, runState: state as unknown as Prisma.InputJsonObject });
        else outcome.failed.push({ id: row.id, error: (error as Error).message });
      } finally {
        if (singletonKey) running.set(singletonKey, 0);
      }
    } finally {
      release(key);
    }
  }

  return {
    // an inline job runs while it is claimed; the relay renews the lease every 5 s while it runs, so a job whose
    // process died (SIGKILL, a crash) is claimed again by the next relay within 15 s
    leaseMs,
    async send(rows) {
      const outcome: Required<TransportOutcome> = { delivered: [], failed: [], later: [], refused: [] };
      await Promise.all(rows.map((row) => runRow(row, outcome)));
      return outcome;
    },
  };
}

/**
 * Stands in for Inngest's cron triggers: each tick enqueues a run of every cron job whose expression fired since
 * the last tick (the first tick only looks back to when the scheduler was made, like a cron's first tick).
 */
export function inlineCronScheduler(db: Db, definitions: JobDefinition[], { startedAt = new Date() } = {}) {
  const crons = definitions.flatMap((job) => (job.trigger.kind === "cron" ? [{ job, cron: job.trigger.cron }] : []));
  let lastTick = startedAt;
  return {
    async tick(now = new Date()) {
      const enqueued: string[] = [];
      for (const { job, cron } of crons) {
        // prev() is strictly before its date: from a millisecond on, a tick at 10:05:00.000 sees the 10:05 firing
        const fired = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: "UTC" })
          .prev()
          .toDate();
        if (fired <= lastTick) continue;
        await insertOutboxRow(db, { id: `${cronRowName(job.id)}:${fired.toISOString()}`, name: cronRowName(job.id), data: {} });
        enqueued.push(job.id);
      }
      lastTick = now;
      return enqueued;
    },
  };
}
