/**
 * Durable hand-off of background work. A service that needs background work writes a job event in the same
 * transaction as its change (`enqueueJob`, payload checked against the event's schema first); the relay hands
 * pending events to a transport (src/server/jobs/relay-targets.ts): on to Inngest, or — where no Inngest server
 * runs (`npm start`, the e2e suite: RECADO_JOBS=inline) — to the job the event triggers, run in this process.
 * Either way the job is in Postgres first, so an unreachable Inngest loses nothing: the relay tries again with
 * backoff, and the app keeps working without an Inngest server.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { parsePayload, type JobEventDefinition, type PayloadOf } from "@/server/jobs/events";

export type JobEvent<Event extends JobEventDefinition = JobEventDefinition> = {
  event: Event;
  data: PayloadOf<Event>;
  id?: string;
  /** not before this time */
  runAfter?: Date;
};
export type OutboxRow = { id: string; name: string; data: Prisma.JsonObject; attempts: number; runState: Prisma.JsonObject | null };
export type DbOrTx = Db | Prisma.TransactionClient;

/**
 * Records a job event; an event with the same id is recorded once (enqueueing is idempotent by id). A payload
 * that does not match its event's schema is refused here, before anything is written.
 */
export async function enqueueJob<Event extends JobEventDefinition>(db: DbOrTx, job: JobEvent<Event>): Promise<string> {
  const data = parsePayload(job.event, job.data);
  return insertOutboxRow(db, { id: job.id, name: job.event.name, data, runAfter: job.runAfter });
}

/** The row itself, for callers that checked the payload already (the inline scheduler's cron runs). */
export async function insertOutboxRow(db: DbOrTx, row: { id?: string; name: string; data: object; runAfter?: Date }) {
  const id = row.id ?? randomUUID();
  await db.$executeRaw`
    INSERT INTO "job_outbox" ("id", "name", "data", "nextAttemptAt")
    VALUES (${id}, ${row.name}, ${JSON.stringify(row.data)}::jsonb, ${row.runAfter ?? new Date()})
    ON CONFLICT ("id") DO NOTHING`;
  return id;
}

export type TransportOutcome = {
  delivered: string[];
  failed: { id: string; error: string }[];
  /** inline runs that sleep, wait or queue behind flow control: claimed again at `runAfter` (`runState` kept) */
  later?: { id: string; runAfter: Date; runState?: Prisma.InputJsonObject }[];
  /** events whose payload failed its schema when run: closed with the reason, never run */
  refused?: { id: string; error: string }[];
};

/** Hands claimed events over; throws when they could not be handed over (they are tried again later). */
export type JobTransport = {
  /** how long a claimed event stays with this relay before another may claim it; renewed every third of it while held */
  leaseMs: number;
  send: (events: OutboxRow[]) => Promise<TransportOutcome>;
};

export const jobRelay = { batchSize: 100, maxBackoffMs: 10 * 60_000 };

const backoffMs = (attempts: number) => Math.min(jobRelay.maxBackoffMs, 2_000 * 2 ** Math.max(0, attempts - 1));

async function renewLease(db: Db, ids: string[], leaseMs: number) {
  await db.$executeRaw`
    UPDATE "job_outbox" SET "nextAttemptAt" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE "id" = ANY(${ids}::text[]) AND "dispatchedAt" IS NULL`.catch((error: Error) =>
    console.error("jobs: lease renewal failed:", error.message),
  );
}

/** Claims due events (SKIP LOCKED, so several relays never take the same one) and hands them to `transport`. */
export async function relayJobs({
  db,
  transport,
  limit = jobRelay.batchSize,
  names,
}: {
  db: Db;
  transport: JobTransport;
  limit?: number;
  /** only rows of these names (a test driving one job in a database other tests share) */
  names?: string[];
}) {
  const claimed = await db.$queryRaw<OutboxRow[]>`
    UPDATE "job_outbox" AS job
    SET "attempts" = job."attempts" + 1, "nextAttemptAt" = now() + make_interval(secs => ${transport.leaseMs / 1000})
    WHERE job."id" IN (
      SELECT "id" FROM "job_outbox"
      WHERE "dispatchedAt" IS NULL AND "nextAttemptAt" <= now() AND (${names ?? null}::text[] IS NULL OR "name" = ANY(${names ?? null}::text[]))
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING job."id", job."name", job."data", job."attempts", job."runState"`;
  if (claimed.length === 0) return { claimed: 0, delivered: 0, failed: 0 };

  // The lease is short and renewed while the transport holds the rows (an inline job runs for as long as a
  // broadcast chunk takes): a process that dies stops renewing, and its rows are claimed again within one lease.
  const ids = claimed.map((row) => row.id);
  const renewal = transport.leaseMs > 0 ? setInterval(() => void renewLease(db, ids, transport.leaseMs), transport.leaseMs / 3) : null;
  let outcome: TransportOutcome;
  try {
    outcome = await transport.send(claimed);
  } catch (error) {
    outcome = { delivered: [], failed: claimed.map(({ id }) => ({ id, error: (error as Error).message })) };
  } finally {
    if (renewal) clearInterval(renewal);
  }
  if (outcome.delivered.length) {
    await db.jobOutbox.updateMany({ where: { id: { in: outcome.delivered } }, data: { dispatchedAt: new Date(), lastError: null } });
  }
  for (const { id, runAfter, runState } of outcome.later ?? []) {
    // a wait is not a failed attempt: the backoff stays where it was
    await db.jobOutbox.update({
      where: { id },
      data: { nextAttemptAt: runAfter, lastError: null, attempts: { decrement: 1 }, ...(runState ? { runState } : {}) },
    });
  }
  for (const { id, error } of outcome.refused ?? []) {
    await db.jobOutbox.update({ where: { id }, data: { dispatchedAt: new Date(), lastError: error.slice(0, 1000) } });
  }
  for (const { id, error } of outcome.failed) {
    const attempts = claimed.find((row) => row.id === id)?.attempts ?? 1;
    await db.jobOutbox.update({
      where: { id },
      data: { lastError: error.slice(0, 1000), nextAttemptAt: new Date(Date.now() + backoffMs(attempts)) },
    });
  }
  return { claimed: claimed.length, delivered: outcome.delivered.length, failed: outcome.failed.length, later: outcome.later?.length ?? 0 };
}
