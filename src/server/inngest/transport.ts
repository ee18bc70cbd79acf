import { inngest } from "@/server/inngest/client";
import type { JobTransport, OutboxRow } from "@/server/jobs/outbox";

/** Relays outbox rows to Inngest (event id = outbox id, so Inngest deduplicates a resend). */
export function inngestTransport(): JobTransport {
  return {
    leaseMs: 60_000,
    async send(events: OutboxRow[]) {
      await inngest.send(events.map(({ id, name, data }) => ({ id, name, data })));
      return { delivered: events.map(({ id }) => id), failed: [] };
    },
  };
}
