-- How the owner obtained a manual opt-in (in the shop, a paper form, a WhatsApp message, ...), kept with the consent record.
ALTER TABLE "consent_records" ADD COLUMN "method" TEXT;

-- Platform-wide settings edited by the admin: the support e-mail and page shown to owners.
CREATE TABLE "platform_settings" (
    "id" TEXT NOT NULL DEFAULT 'platform',
    "supportEmail" TEXT,
    "supportUrl" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "platform_settings_pkey" PRIMARY KEY ("id")
);
