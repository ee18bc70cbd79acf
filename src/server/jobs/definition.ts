/**
 * A background job is a definition — id, trigger (events or a cron expression), flow control — and one handler
 * written against `JobRun`. Two providers run the same handler: Inngest (src/server/inngest/provider.ts maps
 * `JobRun` onto `step.*`) and the in-process runner for RECADO_JOBS=inline (src/server/jobs/inline-runner.ts,
 * backed by the job outbox). Domains export their definitions from `src/server/<domain>/jobs.ts`; they register
 * nothing: src/server/wiring.ts lists them.
 */
import type { Db } from "@/server/db";
import type { JobEventDefinition, PayloadOf } from "@/server/jobs/events";

export type JobLogger = {
  info: (message: string, extra?: Record<string, unknown>) => void;
  warn: (message: string, extra?: Record<string, unknown>) => void;
  error: (message: string, extra?: Record<string, unknown>) => void;
};

export type OutgoingEvent<Event extends JobEventDefinition = JobEventDefinition> = { event: Event; data: PayloadOf<Event> };

/** What a handler may do. Step ids name a step within one run; a step's result is kept, so a replay skips it. */
export type JobRun = {
  run: <T>(stepId: string, fn: () => Promise<T>) => Promise<T>;
  sleep: (stepId: string, ms: number) => Promise<void>;
  sleepUntil: (stepId: string, at: Date) => Promise<void>;
  /** the payload of the first matching event sent after the wait began, or null at the timeout */
  waitForEvent: <Event extends JobEventDefinition>(
    stepId: string,
    wait: { event: Event; /** payload field that must equal this run's */ match?: string; timeoutMs: number },
  ) => Promise<PayloadOf<Event> | null>;
  /** each payload is checked against its event's schema before anything is sent */
  sendEvent: (stepId: string, events: OutgoingEvent | OutgoingEvent[]) => Promise<void>;
  logger: JobLogger;
};

export type JobHandler<Payload> = (args: { payload: Payload; run: JobRun; db: Db }) => Promise<unknown>;

/** Inngest expressions over the triggering event (`event.data.<field>`); the inline runner reads the same field. */
export type JobFlowControl = {
  concurrency?: { limit: number; key?: string };
  throttle?: { limit: number; period: `${number}s` | `${number}m`; key?: string };
  singleton?: { key: string; mode: "skip" };
  /** attempts after the first (Inngest's; inline runs retry with backoff until they succeed, as outbox rows do) */
  retries?: 0 | 1 | 2 | 3 | 4 | 5;
  cancelOn?: { event: JobEventDefinition; match: string }[];
};

export type JobTrigger = { kind: "event"; events: JobEventDefinition[] } | { kind: "cron"; cron: string };

export type JobDefinition = {
  id: string;
  trigger: JobTrigger;
  flowControl: JobFlowControl;
  handler: JobHandler<Record<string, unknown>>;
};

/** A job run for each event of `on` (one event or several sharing a payload shape). */
export function defineEventJob<Event extends JobEventDefinition>(definition: {
  id: string;
  on: Event | Event[];
  flowControl?: JobFlowControl;
  handler: JobHandler<PayloadOf<Event>>;
}): JobDefinition {
  const events = Array.isArray(definition.on) ? definition.on : [definition.on];
  return {
    id: definition.id,
    trigger: { kind: "event", events },
    flowControl: definition.flowControl ?? {},
    handler: definition.handler as JobHandler<Record<string, unknown>>,
  };
}

/** A job run on a cron schedule (five fields, UTC), by Inngest or by the inline scheduler alike. */
export function defineCronJob(definition: {
  id: string;
  cron: string;
  flowControl?: JobFlowControl;
  handler: JobHandler<Record<string, never>>;
}): JobDefinition {
  return {
    id: definition.id,
    trigger: { kind: "cron", cron: definition.cron },
    flowControl: definition.flowControl ?? {},
    handler: definition.handler as JobHandler<Record<string, unknown>>,
  };
}

/** The payload field an Inngest key expression (`event.data.phoneNumberId`) names. */
export function keyField(expression: string): string {
  const match = /^event\.data\.(\w+)$/.exec(expression);
  if (!match) throw new Error(`flow-control key ${expression}: expected event.data.<field>, e.g. event.data.phoneNumberId`);
  return match[1]!;
}
