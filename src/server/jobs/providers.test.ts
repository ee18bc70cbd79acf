/**
 * The same job definitions through both providers: Inngest's engine (@inngest/test runs the real function;
 * sleeps are mocked as steps) and the inline runner on the job outbox (long waits skipped by making the row
 * due). Each case ends in the same result and the same state in Postgres and the simulator.
 */
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, inject, it } from "vitest";
import { broadcastFanOutJob, broadcastSendChunkJob } from "@/server/broadcasts/jobs";
import { createBroadcast, startBroadcast } from "@/server/broadcasts/lifecycle";
import type { ChunkEvent } from "@/server/broadcasts/sending";
import { healthCheckFanOutJob } from "@/server/health/jobs";
import { inngestFunctionFor } from "@/server/inngest/provider";
import type { JobDefinition } from "@/server/jobs/definition";
import { jobEvents, type JobEventDefinition } from "@/server/jobs/events";
import { cronRowName, inlineTransport } from "@/server/jobs/inline-runner";
import { enqueueJob, insertOutboxRow, relayJobs } from "@/server/jobs/outbox";
import { registrationRetryJob } from "@/server/registration/jobs";
import { registrationRetryMaxRounds } from "@/server/registration/retry";
import { testDb } from "@/test/db";
import { createSimNumber, numberAwaitingNameReview, sharedSimulator, useFreshCustomerAccount } from "@/test/health-fixtures";
import { createSendingTenant, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const db = testDb();
const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);
const accountId = useFreshCustomerAccount(db);

type Provider = "inngest" | "inline";
type Case = {
  job: JobDefinition;
  event?: JobEventDefinition;
  /** Inngest only: the sleeps of the run, mocked as steps */
  mockedSteps?: { id: string; handler: () => unknown }[];
};

async function runWith(provider: Provider, { job, event, mockedSteps = [] }: Case, payload: Record<string, unknown>) {
  if (provider === "inngest") {
    const engine = new InngestTestEngine({
      function: inngestFunctionFor(job),
      ...(event ? { events: [{ name: event.name, data: payload }] } : {}),
      steps: mockedSteps,
    });
    return { result: (await engine.execute()).result, sentIds: [] as string[] };
  }
  const id = event ? await enqueueJob(db, { event, data: payload }) : await insertOutboxRow(db, { name: cronRowName(job.id), data: {} });
  const transport = inlineTransport(db, [job]);
  const names = [event?.name ?? cronRowName(job.id)];
  for (let turn = 0; turn < 40; turn++) {
    await relayJobs({ db, transport, names });
    const row = await db.jobOutbox.findUniqueOrThrow({ where: { id } });
    if (row.dispatchedAt) {
      const sent = await db.jobOutbox.findMany({ where: { id: { startsWith: `${id}:` } }, select: { id: true } });
      return { result: (row.runState as { result: unknown }).result, sentIds: sent.map((r) => r.id) };
    }
    await db.jobOutbox.update({ where: { id }, data: { nextAttemptAt: new Date(0) } }); // its wait has passed
  }
  throw new Error(`${job.id} did not finish inline`);
}

const registrationSleeps = Array.from({ length: registrationRetryMaxRounds }, (_, i) => [
  { id: `wait ${i + 1}`, handler: () => undefined },
  { id: `wait for budget ${i + 1}`, handler: () => undefined },
]).flat();

describe.each<Provider>(["inngest", "inline"])("each job through the %s provider", (provider) => {
  it("registration retry: fails twice with 100/2388001, registers on the third attempt", async () => {
    const number = await createSimNumber(db, accountId(), numberAwaitingNameReview);
    const { result } = await runWith(
      provider,
      { job: registrationRetryJob, event: jobEvents.registrationRetry, mockedSteps: registrationSleeps },
      { phoneNumberId: number.id },
    );
    expect(result).toEqual({ rounds: 3, reason: "provisioned", outcome: "registered" });
    expect((await sharedSimulator().requestCounts()).byPath[`POST /${number.metaPhoneNumberId}/register`]).toBe(3);
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("CONNECTED");
  });

  it("health check fan-out: one check per number", async () => {
    await createSimNumber(db, accountId(), { registered: true });
    const { result, sentIds } = await runWith(
      provider,
      { job: healthCheckFanOutJob, mockedSteps: [{ id: "fan out health checks", handler: () => ({ ids: [] }) }] },
      {},
    );
    const total = await db.phoneNumber.count();
    expect(result).toEqual({ numbers: total });
    if (provider === "inline") {
      expect(sentIds).toHaveLength(total);
      await db.jobOutbox.deleteMany({ where: { id: { in: sentIds } } }); // the checks themselves are not this test's
    }
  });

  it("broadcast: the fan-out plans the chunks, a chunk sends each recipient once", async () => {
    const world = await createSendingTenant(db, simulatorUrl);
    const phones = Array.from(
      { length: 30 },
      (_, i) => `+3463${provider === "inline" ? 1 : 2}${String(Date.now() % 100_000).padStart(5, "0")}${String(i).padStart(2, "0")}`,
    );
    await db.contact.createMany({
      data: phones.map((phoneE164, i) => ({ tenantId: world.tenant.id, phoneE164, name: `Cliente ${i}`, optedIn: true })),
    });
    const draft = await createBroadcast({
      db,
      tenantId: world.tenant.id,
      userId: null,
      input: {
        name: "Oferta",
        templateName: "po_notification",
        parameters: [
          { kind: "field", field: "name" },
          { kind: "fixed", value: "P-1" },
          { kind: "fixed", value: "5 %" },
        ],
        audience: { kind: "all" },
      },
    });
    await startBroadcast({ db, tenantId: world.tenant.id, broadcastId: draft.id });
    await db.jobOutbox.updateMany({ where: { id: `broadcast-started:${draft.id}` }, data: { dispatchedAt: new Date() } }); // run by hand below

    const payload = { broadcastId: draft.id, tenantId: world.tenant.id };
    const fanOut = await runWith(
      provider,
      { job: broadcastFanOutJob, event: jobEvents.broadcastStarted, mockedSteps: [{ id: "fan out 0", handler: () => ({ ids: [] }) }] },
      payload,
    );
    expect(fanOut.result).toEqual({ chunks: 1 });
    const chunk: ChunkEvent = { ...payload, phoneNumberId: world.number.id, fromSeq: 1, toSeq: 30 };
    if (provider === "inline") {
      const [sent] = await db.jobOutbox.findMany({ where: { id: { in: fanOut.sentIds } } });
      expect(sent).toMatchObject({ name: jobEvents.broadcastChunk.name, data: chunk });
      await db.jobOutbox.deleteMany({ where: { id: { in: fanOut.sentIds } } }); // the chunk is run below, like Inngest's
    }

    const { result } = await runWith(provider, { job: broadcastSendChunkJob, event: jobEvents.broadcastChunk }, chunk);
    expect(result).toMatchObject({ state: "done", sent: 30, failed: 0 });
    const messages = await world.control.messages({ phoneNumberId: world.number.metaPhoneNumberId });
    expect(messages).toHaveLength(30);
    expect((await db.broadcast.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("COMPLETED");
  });
});

describe("a payload that fails its schema when run", () => {
  it("is refused by the Inngest provider before the handler runs (no retry)", async () => {
    const before = await db.registrationAttempt.count();
    const engine = new InngestTestEngine({
      function: inngestFunctionFor(registrationRetryJob),
      events: [{ name: jobEvents.registrationRetry.name, data: { phoneNumberId: 42 } }],
    });
    const { error } = await engine.execute();
    expect(error).toMatchObject({ name: "NonRetriableError", message: expect.stringContaining("phoneNumberId") });
    expect(await db.registrationAttempt.count()).toBe(before);
  });
});
