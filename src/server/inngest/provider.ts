/**
 * The Inngest provider of the job run interface: each job definition becomes one Inngest function whose
 * `JobRun` is `step.*` (durable steps, sleeps and waits held by Inngest). Served at /api/inngest with the list
 * from src/server/wiring.ts. Payloads are checked against their event's schema when sent and when run.
 */
import { NonRetriableError } from "inngest";
import { getDb } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import type { JobDefinition, JobRun, OutgoingEvent } from "@/server/jobs/definition";
import { parsePayload, type JobEventDefinition } from "@/server/jobs/events";

const toInngestEvent = ({ event, data }: OutgoingEvent) => ({ name: event.name, data: parsePayload(event, data) });

export function inngestFunctionFor(definition: JobDefinition) {
  const { trigger, flowControl } = definition;
  const triggers = trigger.kind === "cron" ? [{ cron: trigger.cron }] : trigger.events.map((event) => ({ event: event.name }));
  const eventsByName = new Map<string, JobEventDefinition>(
    trigger.kind === "event" ? trigger.events.map((event) => [event.name, event]) : [],
  );
  return inngest.createFunction(
    {
      id: definition.id,
      triggers,
      ...(flowControl.concurrency ? { concurrency: flowControl.concurrency } : {}),
      ...(flowControl.throttle ? { throttle: flowControl.throttle } : {}),
      ...(flowControl.singleton ? { singleton: flowControl.singleton } : {}),
      ...(flowControl.retries !== undefined ? { retries: flowControl.retries } : {}),
      ...(flowControl.cancelOn
        ? { cancelOn: flowControl.cancelOn.map(({ event, match }) => ({ event: event.name, match: `data.${match}` })) }
        : {}),
    },
    async ({ event, step, logger }) => {
      const source = eventsByName.get(event.name);
      let payload: Record<string, unknown> = {};
      if (source) {
        try {
          payload = parsePayload(source, event.data);
        } catch (error) {
          throw new NonRetriableError((error as Error).message);
        }
      }
      const run: JobRun = {
        run: (stepId, fn) => step.run(stepId, fn) as never,
        sleep: (stepId, ms) => step.sleep(stepId, ms),
        sleepUntil: (stepId, at) => step.sleepUntil(stepId, at),
        async waitForEvent(stepId, wait) {
          const found = await step.waitForEvent(stepId, {
            event: wait.event.name,
            timeout: wait.timeoutMs,
            ...(wait.match ? { match: `data.${wait.match}` } : {}),
          });
          return found ? (parsePayload(wait.event, found.data) as never) : null;
        },
        async sendEvent(stepId, events) {
          await step.sendEvent(stepId, Array.isArray(events) ? events.map(toInngestEvent) : toInngestEvent(events));
        },
        logger,
      };
      return definition.handler({ payload, run, db: getDb() });
    },
  );
}

export const inngestFunctionsFor = (definitions: JobDefinition[]) => definitions.map(inngestFunctionFor);
