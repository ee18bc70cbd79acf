-- Number health and registration (issue 5): onboarding state per number, health timeline, register attempts.
CREATE TYPE "OnboardingState" AS ENUM ('PENDING_VERIFICATION', 'PENDING_PROVISIONING', 'REGISTERING', 'CONNECTED', 'NEEDS_ATTENTION');
CREATE TYPE "RegistrationOutcome" AS ENUM ('SUCCEEDED', 'PENDING_PROVISIONING', 'LIMIT_REACHED', 'FAILED');

ALTER TABLE "phone_numbers" ADD COLUMN "messagingLimit" TEXT,
ADD COLUMN "healthDetails" JSONB,
ADD COLUMN "onboardingState" "OnboardingState",
ADD COLUMN "onboardingStateSince" TIMESTAMP(3),
ADD COLUMN "stuckAt" TIMESTAMP(3),
ADD COLUMN "lastHealthCheckAt" TIMESTAMP(3),
ADD COLUMN "lastHealthCheckError" TEXT,
ADD COLUMN "reauthRequiredAt" TIMESTAMP(3);

CREATE TABLE "phone_number_health_events" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "previousValue" TEXT,
    "newValue" TEXT,
    "details" JSONB,
    CONSTRAINT "phone_number_health_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "phone_number_health_events_phoneNumberId_createdAt_idx" ON "phone_number_health_events"("phoneNumberId", "createdAt");
ALTER TABLE "phone_number_health_events" ADD CONSTRAINT "phone_number_health_events_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "registration_attempts" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "outcome" "RegistrationOutcome" NOT NULL,
    "metaCode" INTEGER,
    "metaSubcode" INTEGER,
    "message" TEXT,
    CONSTRAINT "registration_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "registration_attempts_phoneNumberId_attemptedAt_idx" ON "registration_attempts"("phoneNumberId", "attemptedAt");
ALTER TABLE "registration_attempts" ADD CONSTRAINT "registration_attempts_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
