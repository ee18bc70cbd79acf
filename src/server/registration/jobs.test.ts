import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { jobEvents } from "@/server/jobs/events";
import { registrationRetryJob } from "@/server/registration/jobs";
import { registrationRetryMaxRounds } from "@/server/registration/retry";
import { testDb } from "@/test/db";
import { createSimNumber, numberAwaitingNameReview, sharedSimulator, useFreshCustomerAccount } from "@/test/health-fixtures";

const db = testDb();
const control = sharedSimulator();
const accountId = useFreshCustomerAccount(db);

// Sleeps are not run by @inngest/test: each wait of the function is mocked as a step.
const sleepMocks = () =>
  Array.from({ length: registrationRetryMaxRounds }, (_, i) => [
    { id: `wait ${i + 1}`, handler: () => undefined },
    { id: `wait for budget ${i + 1}`, handler: () => undefined },
  ]).flat();

const registerCalls = async (metaId: string) => (await control.requestCounts()).byPath[`POST /${metaId}/register`] ?? 0;

function run(phoneNumberId: string) {
  const t = new InngestTestEngine({
    function: inngestFunctionFor(registrationRetryJob),
    events: [{ name: jobEvents.registrationRetry.name, data: { phoneNumberId } }],
    steps: sleepMocks(),
  });
  return t.execute();
}

describe("registration-retry (Inngest function, real Postgres + simulator)", () => {
  it("fails twice with 100/2388001, succeeds on the third attempt, and stops once provisioned", async () => {
    // Meta's display-name review finishes after two failed register calls (the simulator's pending number).
    const number = await createSimNumber(db, accountId(), numberAwaitingNameReview);
    const { result, ctx } = await run(number.id);

    expect(result).toEqual({ rounds: 3, reason: "provisioned", outcome: "registered" });
    expect(await registerCalls(number.metaPhoneNumberId)).toBe(3);
    const attempts = await db.registrationAttempt.findMany({ where: { phoneNumberId: number.id }, orderBy: { attemptedAt: "asc" } });
    expect(attempts.map((a) => [a.outcome, a.metaCode, a.metaSubcode, a.trigger])).toEqual([
      ["PENDING_PROVISIONING", 100, 2388001, "retry"],
      ["PENDING_PROVISIONING", 100, 2388001, "retry"],
      ["SUCCEEDED", null, null, "retry"],
    ]);
    // growing waits between the attempts
    const waits = (ctx.step.sleep as unknown as { mock: { calls: [string, number][] } }).mock.calls.map((c) => c[1]);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);

    const stored = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(stored).toMatchObject({
      onboardingState: "CONNECTED",
      platformType: "CLOUD_API",
      throughputLevel: "STANDARD",
      status: "CONNECTED",
    });
    const states = await db.phoneNumberHealthEvent.findMany({
      where: { phoneNumberId: number.id, field: "onboardingState" },
      orderBy: { createdAt: "asc" },
    });
    expect(states.map((s) => s.newValue)).toEqual([
      "PENDING_PROVISIONING",
      "REGISTERING",
      "PENDING_PROVISIONING",
      "REGISTERING",
      "PENDING_PROVISIONING",
      "REGISTERING",
      "CONNECTED",
    ]);
  });

  it("never exceeds 10 register calls in 72 hours, counting attempts already stored", async () => {
    // The name review never finishes; 8 calls were already spent in the window (by earlier runs or the button).
    const number = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
      pin: "123456",
      nameReview: {},
    });
    const hourAgo = Date.now() - 60 * 60_000;
    await db.registrationAttempt.createMany({
      data: Array.from({ length: 8 }, (_, i) => ({
        phoneNumberId: number.id,
        trigger: "manual",
        outcome: "PENDING_PROVISIONING" as const,
        metaCode: 100,
        metaSubcode: 2388001,
        attemptedAt: new Date(hourAgo + i * 60_000),
      })),
    });

    const { result, ctx } = await run(number.id);

    expect(await registerCalls(number.metaPhoneNumberId)).toBe(2);
    expect(await db.registrationAttempt.count({ where: { phoneNumberId: number.id } })).toBe(10);
    // With the budget spent it waits until the oldest call leaves the 72-hour window instead of calling.
    const sleepUntil = (ctx.step.sleepUntil as unknown as { mock: { calls: [string, Date][] } }).mock.calls;
    expect(sleepUntil.length).toBeGreaterThan(0);
    expect(new Date(sleepUntil[0]![1]).getTime()).toBeGreaterThanOrEqual(hourAgo + 72 * 60 * 60_000);
    expect(result).toEqual({ rounds: registrationRetryMaxRounds, reason: "gave_up", outcome: null });
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("NEEDS_ATTENTION");
  });

  it("does not call register for a provisioned number, and stops on a failure that needs a person", async () => {
    const provisioned = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
    });
    expect((await run(provisioned.id)).result).toEqual({ rounds: 1, reason: "provisioned", outcome: "already_registered" });
    expect(await registerCalls(provisioned.metaPhoneNumberId)).toBe(0);

    const wrongPin = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: false,
      status: "PENDING",
      pin: "654321",
    });
    expect((await run(wrongPin.id)).result).toEqual({ rounds: 1, reason: "needs_attention", outcome: "failed" });
    expect(await db.registrationAttempt.findFirst({ where: { phoneNumberId: wrongPin.id } })).toMatchObject({
      outcome: "FAILED",
      metaCode: 133005,
    });
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: wrongPin.id } })).onboardingState).toBe("NEEDS_ATTENTION");
  });
});
