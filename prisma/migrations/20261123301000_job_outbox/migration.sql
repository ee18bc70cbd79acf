-- Durable hand-off to Inngest: a job is written in the same transaction as the change that needs it, then
-- relayed. Nothing is lost while no Inngest server is reachable.
CREATE TABLE "job_outbox" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    CONSTRAINT "job_outbox_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "job_outbox_dispatchedAt_nextAttemptAt_idx" ON "job_outbox"("dispatchedAt", "nextAttemptAt");
