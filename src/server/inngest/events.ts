/**
 * Events Recado hands to background work. They go through the job outbox (src/server/jobs/outbox.ts): stored
 * in Postgres first, then relayed to Inngest, or run in-process where no Inngest server exists — so an
 * unreachable Inngest never loses the work and never breaks the caller.
 */
import { getDb } from "@/server/db";
import { enqueueJob } from "@/server/jobs/outbox";

export const events = {
  numberHealthCheck: "recado/number.health.check",
  registrationRetry: "recado/registration.retry",
} as const;

export async function sendEventSafely(event: { name: string; data: Record<string, string | number | boolean | null>; id?: string }): Promise<boolean> {
  await enqueueJob(getDb(), event);
  return true;
}
