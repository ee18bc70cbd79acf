/**
 * Durable hand-off of background work. A service that needs background work writes a job event in the same
 * transaction as its change (`enqueueJob`); the relay sends pending events on to Inngest, or — where no Inngest
 * server runs (`npm start`, the e2e suite: RECADO_JOBS=inline) — runs the handler registered for the event in
 * this process. Either way the job is in Postgres first, so an unreachable Inngest loses nothing: the relay
 * tries again with backoff (PLATFORM.md: the app keeps working without an Inngest server).
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

export type JobEvent = { name: string; data: Prisma.InputJsonObject; id?: string; /** not before this time */ runAfter?: Date };
export type OutboxRow = { id: string; name: string; data: Prisma.JsonObject; attempts: number };
type DbOrTx = Db | Prisma.TransactionClient;

/** Records a job event; an event with the same id is recorded once (enqueueing is idempotent by id). */
export async function enqueueJob(db: DbOrTx, event: JobEvent): Promise<string> {
  const id = event.id ?? randomUUID();
  await db.$executeRaw`
    INSERT INTO "job_outbox" ("id", "name", "data", "nextAttemptAt")
    VALUES (${id}, ${event.name}, ${JSON.stringify(event.data)}::jsonb, ${event.runAfter ?? new Date()})
    ON CONFLICT ("id") DO NOTHING`;
  return id;
}

/** Delivers claimed events; throws when they could not be handed over (they are tried again later). */
export type JobSender = {
  /** how long a claimed event stays with this relay before another may claim it */
  leaseMs: number;
  send: (events: OutboxRow[]) => Promise<{ delivered: string[]; failed: { id: string; error: string }[] }>;
};

export const jobRelay = { batchSize: 100, maxBackoffMs: 10 * 60_000 };

const backoffMs = (attempts: number) => Math.min(jobRelay.maxBackoffMs, 2_000 * 2 ** Math.max(0, attempts - 1));

/** Claims due events (SKIP LOCKED, so several relays never take the same one) and hands them to `sender`. */
export async function relayJobs({ db, sender, limit = jobRelay.batchSize }: { db: Db; sender: JobSender; limit?: number }) {
  const claimed = await db.$queryRaw<OutboxRow[]>`
    UPDATE "job_outbox" AS job
    SET "attempts" = job."attempts" + 1, "nextAttemptAt" = now() + make_interval(secs => ${sender.leaseMs / 1000})
    WHERE job."id" IN (
      SELECT "id" FROM "job_outbox"
      WHERE "dispatchedAt" IS NULL AND "nextAttemptAt" <= now()
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING job."id", job."name", job."data", job."attempts"`;
  if (claimed.length === 0) return { claimed: 0, delivered: 0, failed: 0 };

  let outcome: Awaited<ReturnType<JobSender["send"]>>;
  try {
    outcome = await sender.send(claimed);
  } catch (error) {
    outcome = { delivered: [], failed: claimed.map(({ id }) => ({ id, error: (error as Error).message })) };
  }
  if (outcome.delivered.length) {
    await db.jobOutbox.updateMany({ where: { id: { in: outcome.delivered } }, data: { dispatchedAt: new Date(), lastError: null } });
  }
  for (const { id, error } of outcome.failed) {
    const attempts = claimed.find((row) => row.id === id)?.attempts ?? 1;
    await db.jobOutbox.update({
      where: { id },
      data: { lastError: error.slice(0, 1000), nextAttemptAt: new Date(Date.now() + backoffMs(attempts)) },
    });
  }
  return { claimed: claimed.length, delivered: outcome.delivered.length, failed: outcome.failed.length };
}
