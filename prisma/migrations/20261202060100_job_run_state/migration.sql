-- What an in-process job run (RECADO_JOBS=inline) has finished so far: step results and waits, so a run that
-- sleeps or waits is picked up again at its time where it left off.
ALTER TABLE "job_outbox" ADD COLUMN "runState" JSONB;
