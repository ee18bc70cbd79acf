import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { healthCheckFanOutJob, numberHealthCheckJob, onboardingTimeoutsJob } from "@/server/health/jobs";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { jobEvents } from "@/server/jobs/events";
import { resetOnboarding } from "@/server/health/onboarding";
import { testDb } from "@/test/db";
import { createSimNumber, useFreshCustomerAccount } from "@/test/health-fixtures";

const db = testDb();
const accountId = useFreshCustomerAccount(db);

type SendEventCalls = { mock: { calls: [string, unknown][] } };

describe("health-check-fan-out (cron)", () => {
  it("sends one health-check event per number", async () => {
    const a = await createSimNumber(db, accountId(), { registered: true });
    const b = await createSimNumber(db, accountId(), { registered: false });
    const t = new InngestTestEngine({
      function: inngestFunctionFor(healthCheckFanOutJob),
      steps: [{ id: "fan out health checks", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await t.execute();
    const total = await db.phoneNumber.count();
    expect(result).toEqual({ numbers: total });
    const [, sent] = (ctx.step.sendEvent as unknown as SendEventCalls).mock.calls[0]!;
    expect(sent).toHaveLength(total);
    expect(sent).toEqual(
      expect.arrayContaining([
        { name: jobEvents.numberHealthCheck.name, data: { phoneNumberId: a.id } },
        { name: jobEvents.numberHealthCheck.name, data: { phoneNumberId: b.id } },
      ]),
    );
  });
});

describe("number-health-check (one durable check per number)", () => {
  const run = (phoneNumberId: string) =>
    new InngestTestEngine({
      function: inngestFunctionFor(numberHealthCheckJob),
      events: [{ name: jobEvents.numberHealthCheck.name, data: { phoneNumberId } }],
      steps: [{ id: "start registration retry", handler: () => ({ ids: [] }) }],
    }).execute();

  it("stores the reading and starts a registration retry for a number that is not provisioned", async () => {
    const pending = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
    });
    const { result, ctx } = await run(pending.id);
    expect(result).toEqual({ ok: true, decision: "register", onboardingState: "PENDING_PROVISIONING" });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("start registration retry", {
      name: jobEvents.registrationRetry.name,
      data: { phoneNumberId: pending.id },
    });
    expect(await db.phoneNumber.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      platformType: "NOT_APPLICABLE",
      nameStatus: "PENDING_REVIEW",
    });
  });

  it("leaves a provisioned number alone", async () => {
    const connected = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      registered: true,
    });
    const { result, ctx } = await run(connected.id);
    expect(result).toEqual({ ok: true, decision: "skip", onboardingState: "CONNECTED" });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});

describe("onboarding-timeouts (cron)", () => {
  it("marks a number that overstayed its state as stuck, alerts once, and a reset starts over", async () => {
    const number = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
    });
    const fresh = await createSimNumber(db, accountId(), {
      codeVerificationStatus: "VERIFIED",
      nameStatus: "PENDING_REVIEW",
      registered: false,
      status: "PENDING",
    });
    // REGISTERING times out after 30 minutes: one has been there 2 hours, the other 5 minutes.
    await db.phoneNumber.update({
      where: { id: number.id },
      data: { onboardingState: "REGISTERING", onboardingStateSince: new Date(Date.now() - 2 * 3600_000) },
    });
    await db.phoneNumber.update({
      where: { id: fresh.id },
      data: { onboardingState: "REGISTERING", onboardingStateSince: new Date(Date.now() - 5 * 60_000) },
    });

    const t = new InngestTestEngine({ function: inngestFunctionFor(onboardingTimeoutsJob) });
    const first = await t.execute();
    expect((first.result as { stuck: number }).stuck).toBeGreaterThanOrEqual(1);
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).stuckAt).not.toBeNull();
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: fresh.id } })).stuckAt).toBeNull();
    const alert = await db.alert.findFirstOrThrow({ where: { kind: "number_stuck", phoneNumberId: number.id } });
    expect(alert.title).toContain("stuck in “Registering”");

    // A second run does not alert again for the same stay.
    await t.execute();
    expect((await db.alert.findFirstOrThrow({ where: { id: alert.id } })).occurrences).toBe(1);

    const admin = await db.user.create({
      data: { email: `reset-${Date.now()}@test.recado`, name: "A", passwordHash: "x", role: "PLATFORM_ADMIN" },
    });
    await resetOnboarding({ db, phoneNumberId: number.id, actor: { userId: admin.id, label: admin.email } });
    const after = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(after).toMatchObject({ stuckAt: null, onboardingState: null });
    expect(await db.auditLog.count({ where: { action: "number.onboarding_reset", targetId: number.id } })).toBe(1);
  });
});
