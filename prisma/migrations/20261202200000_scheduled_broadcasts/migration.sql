-- Scheduled broadcasts (a draft with a start time, read in the bakery's time zone), retries of a broadcast's
-- failed recipients, and the example values of template placeholders (names for the blanks).
ALTER TABLE "tenants" ADD COLUMN "timeZone" TEXT NOT NULL DEFAULT 'Europe/Madrid';
ALTER TABLE "message_templates" ADD COLUMN "parameterExamples" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "broadcasts" ADD COLUMN "scheduledAt" TIMESTAMP(3);
ALTER TABLE "broadcasts" ADD COLUMN "retryOfId" TEXT;
CREATE INDEX "broadcasts_status_scheduledAt_idx" ON "broadcasts"("status", "scheduledAt");
