/**
 * Every job event Recado sends, with the zod schema of its payload: the one place an event's name is written.
 * Services enqueue these (src/server/jobs/outbox.ts), job definitions are triggered by them, and both the send
 * and the run check the payload against the schema. Kept apart from the domains' job files because events cross
 * domains (a health check starts a registration retry) and a catalogue lets each import it without a cycle.
 */
import { z } from "zod";
import { AppError } from "@/server/errors";

export type JobEventDefinition<Schema extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> = {
  name: string;
  schema: Schema;
};

const defineEvent = <Schema extends z.ZodType<Record<string, unknown>>>(name: string, schema: Schema): JobEventDefinition<Schema> => ({
  name,
  schema,
});

const id = (field: string) => {
  const expected = `${field}: expected the record's id, e.g. "cm9x2k0q80000abcd"`;
  return z.string(expected).min(1, expected);
};
const seq = (field: string, example: number) => z.number(`${field}: expected a recipient's sequence number, e.g. ${example}`).int().min(1);

export const jobEvents = {
  numberHealthCheck: defineEvent("recado/number.health.check", z.object({ phoneNumberId: id("phoneNumberId") })),
  registrationRetry: defineEvent("recado/registration.retry", z.object({ phoneNumberId: id("phoneNumberId") })),
  broadcastStarted: defineEvent("broadcast/started", z.object({ broadcastId: id("broadcastId"), tenantId: id("tenantId") })),
  broadcastResumed: defineEvent("broadcast/resumed", z.object({ broadcastId: id("broadcastId"), tenantId: id("tenantId") })),
  broadcastCancelled: defineEvent("broadcast/cancelled", z.object({ broadcastId: id("broadcastId"), tenantId: id("tenantId") })),
  broadcastChunk: defineEvent(
    "broadcast/chunk.send",
    z.object({
      broadcastId: id("broadcastId"),
      tenantId: id("tenantId"),
      phoneNumberId: id("phoneNumberId"),
      fromSeq: seq("fromSeq", 1),
      toSeq: seq("toSeq", 1600),
    }),
  ),
} as const;

export type JobEventName = (typeof jobEvents)[keyof typeof jobEvents]["name"];
export type PayloadOf<Event extends JobEventDefinition> = z.infer<Event["schema"]>;

/** Refuses a payload that does not match its event's schema, naming the field and what was expected. */
export function parsePayload<Event extends JobEventDefinition>(event: Event, data: unknown): PayloadOf<Event> {
  const parsed = event.schema.safeParse(data);
  if (parsed.success) return parsed.data as PayloadOf<Event>;
  // the messages above name their field; zod's own (a missing object, an unknown shape) get the path in front
  const issues = parsed.error.issues
    .map((issue) =>
      issue.message.startsWith(`${issue.path.join(".")}:`) ? issue.message : `${issue.path.join(".") || "(payload)"}: ${issue.message}`,
    )
    .join("; ");
  throw new AppError("VALIDATION_FAILED", `${event.name}: payload refused (${issues})`, { event: event.name, issues });
}
