import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineCronJob, defineEventJob } from "@/server/jobs/definition";
import { jobEvents } from "@/server/jobs/events";
import { inlineCronScheduler, inlineTransport } from "@/server/jobs/inline-runner";
import { insertOutboxRow, enqueueJob, relayJobs } from "@/server/jobs/outbox";
import { registrationRetryJob } from "@/server/registration/jobs";
import { scheduleRegistrationRetry } from "@/server/registration/retry";
import { testDb } from "@/test/db";
import { createSimNumber, numberAwaitingNameReview, useFreshCustomerAccount } from "@/test/health-fixtures";
import { useOwnDatabase } from "@/test/own-database";

describe("registration retry without an Inngest server (shared database)", () => {
  const db = testDb();
  const accountId = useFreshCustomerAccount(db);
  const names = [jobEvents.registrationRetry.name];
  beforeEach(() => db.jobOutbox.deleteMany({ where: { name: { in: names } } }));
  afterAll(() => db.jobOutbox.deleteMany({ where: { name: { in: names } } }));

  /** Makes the next round's job due now, as if its wait had passed. */
  const skipWait = () =>
    db.jobOutbox.updateMany({ where: { dispatchedAt: null, name: { in: names } }, data: { nextAttemptAt: new Date(0) } });

  it("runs round by round through the outbox until provisioned", async () => {
    const number = await createSimNumber(db, accountId(), numberAwaitingNameReview);
    expect(await scheduleRegistrationRetry({ db, phoneNumberId: number.id })).toBe(true);
    const transport = inlineTransport(db, [registrationRetryJob]);

    await relayJobs({ db, transport, names });
    const next = await db.jobOutbox.findFirstOrThrow({ where: { dispatchedAt: null, name: { in: names } } });
    // the same run, its first attempt kept, asleep until the next round
    expect(next.data).toMatchObject({ phoneNumberId: number.id });
    expect(Object.keys((next.runState as { steps: object }).steps).sort()).toEqual(["attempt 1", "wait 1"]);
    expect(next.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000); // waits about a minute
    expect(await relayJobs({ db, transport, names })).toMatchObject({ claimed: 0 }); // not before its time

    await skipWait();
    await relayJobs({ db, transport, names });
    await skipWait();
    await relayJobs({ db, transport, names });

    const attempts = await db.registrationAttempt.findMany({ where: { phoneNumberId: number.id }, orderBy: { attemptedAt: "asc" } });
    expect(attempts.map((a) => a.outcome)).toEqual(["PENDING_PROVISIONING", "PENDING_PROVISIONING", "SUCCEEDED"]);
    expect(await db.jobOutbox.count({ where: { dispatchedAt: null, name: { in: names } } })).toBe(0);
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("CONNECTED");
  });

  it("skips a second retry of a number while one is asleep (singleton per number)", async () => {
    const number = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
      pin: "123456",
      nameReview: {},
    });
    const transport = inlineTransport(db, [registrationRetryJob]);
    await scheduleRegistrationRetry({ db, phoneNumberId: number.id });
    await relayJobs({ db, transport, names });
    await scheduleRegistrationRetry({ db, phoneNumberId: number.id });
    await relayJobs({ db, transport, names });
    expect(await db.registrationAttempt.count({ where: { phoneNumberId: number.id } })).toBe(1);
    expect(await db.jobOutbox.count({ where: { dispatchedAt: null, name: { in: names } } })).toBe(1);
  });

  it("runs one retry of a number when two requests are relayed together", async () => {
    const number = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
      pin: "123456",
      nameReview: {},
    });
    await scheduleRegistrationRetry({ db, phoneNumberId: number.id });
    await scheduleRegistrationRetry({ db, phoneNumberId: number.id });
    await relayJobs({ db, transport: inlineTransport(db, [registrationRetryJob]), names });
    expect(await db.registrationAttempt.count({ where: { phoneNumberId: number.id } })).toBe(1);
  });
});

describe("the inline runner (a database of its own)", () => {
  const ownDb = useOwnDatabase("recado_test_inline", 4);
  const probe = {
    name: "probe/counted",
    schema: z.object({ phoneNumberId: z.string().min(1, "phoneNumberId: expected the number's id") }),
  };

  it("refuses a payload that fails its schema when run: the row is closed with the reason, the handler never runs", async () => {
    const runs: string[] = [];
    const job = defineEventJob({ id: "probe-counted", on: probe, handler: async ({ payload }) => void runs.push(payload.phoneNumberId) });
    // written past enqueueJob's check, as an older release or a hand-written row could have
    const bad = await insertOutboxRow(ownDb(), { name: probe.name, data: { phoneNumberId: 42 } });
    const good = await enqueueJob(ownDb(), { event: probe, data: { phoneNumberId: "pn-1" } });
    await relayJobs({ db: ownDb(), transport: inlineTransport(ownDb(), [job]) });
    expect(runs).toEqual(["pn-1"]);
    const refused = await ownDb().jobOutbox.findUniqueOrThrow({ where: { id: bad } });
    expect(refused.dispatchedAt).not.toBeNull();
    expect(refused.lastError).toContain("phoneNumberId");
    expect((await ownDb().jobOutbox.findUniqueOrThrow({ where: { id: good } })).lastError).toBeNull();
  });

  it("waits for an event through the outbox, and gives up at the timeout", async () => {
    const waited = { name: "probe/waited", schema: z.object({ key: z.string() }) };
    const answer = { name: "probe/answer", schema: z.object({ key: z.string(), value: z.number() }) };
    const job = defineEventJob({
      id: "probe-waiter",
      on: waited,
      handler: ({ run }) => run.waitForEvent("answer", { event: answer, match: "key", timeoutMs: 60_000 }),
    });
    const transport = inlineTransport(ownDb(), [job], { waitPollMs: 10 });
    const id = await enqueueJob(ownDb(), { event: waited, data: { key: "a" } });
    await relayJobs({ db: ownDb(), transport });
    expect((await ownDb().jobOutbox.findUniqueOrThrow({ where: { id } })).dispatchedAt).toBeNull(); // waiting
    await enqueueJob(ownDb(), { event: answer, data: { key: "other", value: 1 } }); // not this run's
    await enqueueJob(ownDb(), { event: answer, data: { key: "a", value: 7 } });
    for (let i = 0; i < 100 && !(await ownDb().jobOutbox.findUniqueOrThrow({ where: { id } })).dispatchedAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await relayJobs({ db: ownDb(), transport, names: [waited.name] });
    }
    const done = await ownDb().jobOutbox.findUniqueOrThrow({ where: { id } });
    expect((done.runState as { result: unknown }).result).toEqual({ key: "a", value: 7 });

    const lonely = await enqueueJob(ownDb(), { event: waited, data: { key: "b" } });
    await relayJobs({ db: ownDb(), transport, names: [waited.name] });
    // an hour later: the wait timed out
    await ownDb()
      .$executeRaw`UPDATE "job_outbox" SET "runState" = jsonb_set("runState", '{waits,answer}', to_jsonb(${new Date(Date.now() - 3_600_000).toISOString()}::text)), "nextAttemptAt" = now() WHERE "id" = ${lonely}`;
    await relayJobs({ db: ownDb(), transport, names: [waited.name] });
    const timedOut = await ownDb().jobOutbox.findUniqueOrThrow({ where: { id: lonely } });
    expect(timedOut.dispatchedAt).not.toBeNull();
    expect((timedOut.runState as { result: unknown }).result).toBeNull();
  });

  it("runs a cron job on its expression, once per firing however many schedulers tick", async () => {
    let runs = 0;
    const job = defineCronJob({
      id: "probe-every-two-minutes",
      cron: "*/2 * * * *",
      handler: async ({ run }) => run.run("count", async () => ++runs),
    });
    const startedAt = new Date("2026-03-02T10:00:30Z");
    const scheduler = inlineCronScheduler(ownDb(), [job], { startedAt });
    const otherInstance = inlineCronScheduler(ownDb(), [job], { startedAt });
    const transport = inlineTransport(ownDb(), [job]);

    expect(await scheduler.tick(new Date("2026-03-02T10:01:50Z"))).toEqual([]); // 10:01 is not a firing
    expect(await scheduler.tick(new Date("2026-03-02T10:02:01Z"))).toEqual(["probe-every-two-minutes"]);
    await otherInstance.tick(new Date("2026-03-02T10:02:03Z")); // the same firing: the same row
    expect(await scheduler.tick(new Date("2026-03-02T10:03:00Z"))).toEqual([]);
    await relayJobs({ db: ownDb(), transport });
    expect(runs).toBe(1);

    await scheduler.tick(new Date("2026-03-02T10:04:00Z"));
    await relayJobs({ db: ownDb(), transport });
    expect(runs).toBe(2);
    expect(await ownDb().jobOutbox.count({ where: { name: "cron:probe-every-two-minutes", dispatchedAt: { not: null } } })).toBe(2);
  });

  it("honours HEALTH_CHECK_CRON inline: the health fan-out is scheduled on the configured expression", async () => {
    vi.stubEnv("HEALTH_CHECK_CRON", "*/7 * * * *");
    vi.resetModules();
    try {
      const { healthCheckFanOutJob } = await import("@/server/health/jobs");
      expect(healthCheckFanOutJob.trigger).toEqual({ kind: "cron", cron: "*/7 * * * *" });
      const scheduler = inlineCronScheduler(ownDb(), [healthCheckFanOutJob], { startedAt: new Date("2026-03-02T10:00:30Z") });
      expect(await scheduler.tick(new Date("2026-03-02T10:05:00Z"))).toEqual([]); // the default */5 would fire here
      expect(await scheduler.tick(new Date("2026-03-02T10:07:00Z"))).toEqual(["health-check-fan-out"]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
