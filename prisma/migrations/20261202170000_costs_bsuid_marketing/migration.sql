-- Issue 17: contacts known by BSUID, marketing preferences, template category/quality updates, the cost ledger
-- (pricing per message and a dated rate card), per-bakery spend caps and shares of the portfolio's limit, and
-- the once-only retry of messages Meta limited with 131049.

ALTER TABLE "contacts" ADD COLUMN "userId" TEXT,
    ADD COLUMN "username" TEXT,
    ADD COLUMN "marketingOptedOutAt" TIMESTAMP(3),
    ADD COLUMN "marketingPreferenceSource" TEXT;
CREATE UNIQUE INDEX "contacts_tenantId_userId_key" ON "contacts"("tenantId", "userId");

ALTER TABLE "message_templates" ADD COLUMN "qualityScore" TEXT,
    ADD COLUMN "qualityChangedAt" TIMESTAMP(3),
    ADD COLUMN "previousCategory" TEXT,
    ADD COLUMN "categoryChangedAt" TIMESTAMP(3);

ALTER TABLE "messages" ADD COLUMN "recipientCountry" TEXT,
    ADD COLUMN "businessInitiated" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "pricingCategory" TEXT,
    ADD COLUMN "pricingType" TEXT,
    ADD COLUMN "pricingModel" TEXT,
    ADD COLUMN "billable" BOOLEAN,
    ADD COLUMN "costMicros" INTEGER,
    ADD COLUMN "costCurrency" TEXT,
    ADD COLUMN "pricedAt" TIMESTAMP(3);
CREATE INDEX "messages_phoneNumberId_createdAt_idx" ON "messages"("phoneNumberId", "createdAt");

CREATE TABLE "rate_cards" (
    "id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "rateMicros" INTEGER NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_cards_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "rate_cards_category_country_validFrom_key" ON "rate_cards"("category", "country", "validFrom");

CREATE TABLE "tenant_cost_settings" (
    "tenantId" TEXT NOT NULL,
    "monthlySpendCapCents" INTEGER,
    "dailyConversationShare" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "tenant_cost_settings_pkey" PRIMARY KEY ("tenantId"),
    CONSTRAINT "tenant_cost_settings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "marketing_retries" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "originalMessageId" TEXT NOT NULL,
    "broadcastId" TEXT,
    "templateName" TEXT NOT NULL,
    "templateLanguage" TEXT,
    "parameters" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "notBefore" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retriedAt" TIMESTAMP(3),
    "retryMessageId" TEXT,
    "outcome" TEXT,

    CONSTRAINT "marketing_retries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "marketing_retries_originalMessageId_key" ON "marketing_retries"("originalMessageId");
CREATE INDEX "marketing_retries_retriedAt_notBefore_idx" ON "marketing_retries"("retriedAt", "notBefore");
CREATE INDEX "marketing_retries_broadcastId_idx" ON "marketing_retries"("broadcastId");

-- The shipped rate card, valid from 2025-07-01 (per-message pricing; Meta: pricing). ILLUSTRATIVE rates in USD per
-- delivered message, rounded from the shape of Meta's public card: check Meta's current rate card and let the admin
-- enter the real figures (admin.costs.setRate adds a dated row; history is kept). SERVICE messages are free.
INSERT INTO "rate_cards" ("id", "category", "country", "currency", "rateMicros", "validFrom", "source") VALUES
    ('rc-2025-07-es-marketing', 'MARKETING', 'ES', 'USD', 61500, '2025-07-01', 'migration'),
    ('rc-2025-07-es-utility', 'UTILITY', 'ES', 'USD', 20000, '2025-07-01', 'migration'),
    ('rc-2025-07-es-authentication', 'AUTHENTICATION', 'ES', 'USD', 20000, '2025-07-01', 'migration'),
    ('rc-2025-07-fr-marketing', 'MARKETING', 'FR', 'USD', 143200, '2025-07-01', 'migration'),
    ('rc-2025-07-fr-utility', 'UTILITY', 'FR', 'USD', 30000, '2025-07-01', 'migration'),
    ('rc-2025-07-fr-authentication', 'AUTHENTICATION', 'FR', 'USD', 30000, '2025-07-01', 'migration'),
    ('rc-2025-07-pt-marketing', 'MARKETING', 'PT', 'USD', 59200, '2025-07-01', 'migration'),
    ('rc-2025-07-pt-utility', 'UTILITY', 'PT', 'USD', 29600, '2025-07-01', 'migration'),
    ('rc-2025-07-pt-authentication', 'AUTHENTICATION', 'PT', 'USD', 29600, '2025-07-01', 'migration'),
    ('rc-2025-07-gb-marketing', 'MARKETING', 'GB', 'USD', 52900, '2025-07-01', 'migration'),
    ('rc-2025-07-gb-utility', 'UTILITY', 'GB', 'USD', 22000, '2025-07-01', 'migration'),
    ('rc-2025-07-gb-authentication', 'AUTHENTICATION', 'GB', 'USD', 35800, '2025-07-01', 'migration'),
    ('rc-2025-07-us-marketing', 'MARKETING', 'US', 'USD', 25000, '2025-07-01', 'migration'),
    ('rc-2025-07-us-utility', 'UTILITY', 'US', 'USD', 4000, '2025-07-01', 'migration'),
    ('rc-2025-07-us-authentication', 'AUTHENTICATION', 'US', 'USD', 13500, '2025-07-01', 'migration'),
    ('rc-2025-07-other-marketing', 'MARKETING', '*', 'USD', 60000, '2025-07-01', 'migration'),
    ('rc-2025-07-other-utility', 'UTILITY', '*', 'USD', 20000, '2025-07-01', 'migration'),
    ('rc-2025-07-other-authentication', 'AUTHENTICATION', '*', 'USD', 20000, '2025-07-01', 'migration'),
    ('rc-2025-07-other-service', 'SERVICE', '*', 'USD', 0, '2025-07-01', 'migration');
