/**
 * Where relayed jobs go. `inngest`: sent to Inngest (event id = outbox id, so Inngest deduplicates a resend).
 * `inline`: the handler registered for the event name runs in this process — for machines without an Inngest
 * server (npm start, e2e). Inline handlers must be safe to run again: they are the same domain services the
 * Inngest functions call in their steps, which already have to be.
 */
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import type { JobSender, OutboxRow } from "@/server/jobs/outbox";

export type InlineJobHandler = (data: Prisma.JsonObject, context: { db: Db }) => Promise<void>;

const inlineHandlers = new Map<string, InlineJobHandler>();

export function registerInlineJob(name: string, handler: InlineJobHandler) {
  inlineHandlers.set(name, handler);
}

export type InlineSchedule = { name: string; everyMs: number; run: (context: { db: Db }) => Promise<unknown>; lastRunAt: number; running: boolean };

/** Periodic tasks for inline mode: the stand-ins for Inngest crons (run by src/server/jobs/ticker.ts). */
export const inlineSchedules: InlineSchedule[] = [];

export function registerInlineSchedule(name: string, everyMs: number, run: (context: { db: Db }) => Promise<unknown>) {
  // first run one interval after start, like a cron's first tick (and not while the app is still starting up)
  if (!inlineSchedules.some((s) => s.name === name)) inlineSchedules.push({ name, everyMs, run, lastRunAt: Date.now(), running: false });
}

export function inngestSender(): JobSender {
  return {
    leaseMs: 60_000,
    async send(events: OutboxRow[]) {
      await inngest.send(events.map(({ id, name, data }) => ({ id, name, data })));
      return { delivered: events.map(({ id }) => id), failed: [] };
    },
  };
}

export function inlineSender(db: Db): JobSender {
  return {
    // an inline job runs while it is claimed: long enough for a broadcast chunk, short enough to recover a crash
    leaseMs: 10 * 60_000,
    async send(events: OutboxRow[]) {
      const delivered: string[] = [];
      const failed: { id: string; error: string }[] = [];
      await Promise.all(
        events.map(async (event) => {
          const handler = inlineHandlers.get(event.name);
          if (!handler) {
            failed.push({ id: event.id, error: `no inline handler for ${event.name}` });
            return;
          }
          try {
            await handler(event.data, { db });
            delivered.push(event.id);
          } catch (error) {
            failed.push({ id: event.id, error: (error as Error).message });
          }
        }),
      );
      return { delivered, failed };
    },
  };
}
