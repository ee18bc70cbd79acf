-- Send pacing per phone number, shared by every app instance: a GCRA "theoretical arrival time" in epoch
-- milliseconds (double precision, because 80 msg/s is a 12.5 ms spacing) and an optional pause after a 130429.
CREATE TABLE "send_pacing" (
    "phoneNumberId" TEXT NOT NULL,
    "nextSlotAtMs" DOUBLE PRECISION NOT NULL,
    "pausedUntil" TIMESTAMP(3),
    "pauseReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "send_pacing_pkey" PRIMARY KEY ("phoneNumberId")
);

ALTER TABLE "send_pacing" ADD CONSTRAINT "send_pacing_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
