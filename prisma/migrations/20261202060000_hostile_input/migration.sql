-- Webhook items that fail validation or keep failing are kept in quarantine with their reason.
ALTER TYPE "WebhookItemStatus" ADD VALUE 'QUARANTINED';
ALTER TABLE "webhook_items" ADD COLUMN "quarantineReason" TEXT;

-- Refused webhooks: one row per kind, source and minute, with a counter.
ALTER TABLE "security_events" ADD COLUMN "bucket" TEXT;
ALTER TABLE "security_events" ADD COLUMN "occurrences" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "security_events" ADD COLUMN "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE UNIQUE INDEX "security_events_bucket_key" ON "security_events"("bucket");

-- The owner's own number for test notifications.
ALTER TABLE "users" ADD COLUMN "notificationPhone" TEXT;
ALTER TABLE "users" ADD COLUMN "notificationPhoneConfirmedAt" TIMESTAMP(3);

-- Templates a bakery creates on the shared account belong to it.
ALTER TABLE "message_templates" ADD COLUMN "ownerTenantId" TEXT;
ALTER TABLE "message_templates" ADD COLUMN "tenantName" TEXT;
CREATE INDEX "message_templates_ownerTenantId_idx" ON "message_templates"("ownerTenantId");
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_ownerTenantId_fkey" FOREIGN KEY ("ownerTenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
