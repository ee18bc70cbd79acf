-- A business account whose token Meta refused (error 190) is marked until it works again or is reconnected.
ALTER TABLE "business_accounts" ADD COLUMN "tokenInvalidAt" TIMESTAMP(3);
ALTER TABLE "business_accounts" ADD COLUMN "tokenInvalidReason" TEXT;
