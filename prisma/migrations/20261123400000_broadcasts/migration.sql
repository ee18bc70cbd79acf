-- Broadcasts: a template to an audience, every recipient recorded once when it starts.
CREATE TYPE "BroadcastStatus" AS ENUM ('DRAFT', 'SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED', 'STOPPED');
CREATE TYPE "BroadcastRecipientStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'UNKNOWN', 'CANCELLED');

ALTER TABLE "contacts" ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

CREATE TABLE "broadcasts" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "templateName" TEXT NOT NULL,
    "templateLanguage" TEXT NOT NULL,
    "parameterSources" JSONB NOT NULL,
    "audience" JSONB NOT NULL,
    "phoneNumberId" TEXT,
    "status" "BroadcastStatus" NOT NULL DEFAULT 'DRAFT',
    "total" INTEGER NOT NULL DEFAULT 0,
    "excludedOptedOut" INTEGER NOT NULL DEFAULT 0,
    "excludedNotOnWhatsApp" INTEGER NOT NULL DEFAULT 0,
    "excludedInvalid" INTEGER NOT NULL DEFAULT 0,
    "stoppedReason" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "broadcasts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "broadcast_recipients" (
    "id" TEXT NOT NULL,
    "broadcastId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "contactId" TEXT,
    "phoneE164" TEXT NOT NULL,
    "name" TEXT,
    "parameters" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "status" "BroadcastRecipientStatus" NOT NULL DEFAULT 'PENDING',
    "deferrals" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3),
    "messageId" TEXT,
    "wamid" TEXT,
    "errorCode" INTEGER,
    "appErrorCode" TEXT,
    "errorTitle" TEXT,
    "attemptedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "broadcast_recipients_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "broadcasts_tenantId_createdAt_idx" ON "broadcasts"("tenantId", "createdAt");
CREATE UNIQUE INDEX "broadcast_recipients_messageId_key" ON "broadcast_recipients"("messageId");
CREATE UNIQUE INDEX "broadcast_recipients_broadcastId_seq_key" ON "broadcast_recipients"("broadcastId", "seq");
CREATE UNIQUE INDEX "broadcast_recipients_broadcastId_phoneE164_key" ON "broadcast_recipients"("broadcastId", "phoneE164");
CREATE INDEX "broadcast_recipients_broadcastId_status_idx" ON "broadcast_recipients"("broadcastId", "status");

ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "phone_numbers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "broadcasts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
