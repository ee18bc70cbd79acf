-- Sessions that can be ended: the session cookie carries the user's session version, compared on every request.
ALTER TABLE "users" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- Sign-in throttling: failures per account and per client address within the window, shared by every instance.
CREATE TABLE "sign_in_failures" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "clientAddress" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "sign_in_failures_email_createdAt_idx" ON "sign_in_failures"("email", "createdAt");
CREATE INDEX "sign_in_failures_clientAddress_createdAt_idx" ON "sign_in_failures"("clientAddress", "createdAt");
