import { afterAll, beforeEach, expect, it } from "vitest";
import "@/server/health/inline";
import { scheduleRegistrationRetry } from "@/server/registration/retry";
import { relayJobs } from "@/server/jobs/outbox";
import { inlineSender } from "@/server/jobs/senders";
import { testDb } from "@/test/db";
import { createSimNumber, useFreshCustomerAccount } from "@/test/health-fixtures";

const db = testDb();
const accountId = useFreshCustomerAccount(db);
beforeEach(() => db.jobOutbox.deleteMany({}));
afterAll(() => db.jobOutbox.deleteMany({}));

/** Makes the next round's job due now, as if its wait had passed. */
const skipWait = () => db.jobOutbox.updateMany({ where: { dispatchedAt: null }, data: { nextAttemptAt: new Date(0) } });

it("without an Inngest server, a registration retry runs round by round through the outbox until provisioned", async () => {
  const number = await createSimNumber(db, accountId(), { codeVerificationStatus: "VERIFIED", nameStatus: "PENDING_REVIEW", registered: false, status: "PENDING", pin: "123456", nameReview: { afterAttempts: 2 } });
  expect(await scheduleRegistrationRetry({ db, phoneNumberId: number.id })).toBe(true);
  const sender = inlineSender(db);

  await relayJobs({ db, sender });
  const next = await db.jobOutbox.findFirstOrThrow({ where: { dispatchedAt: null } });
  expect(next.data).toMatchObject({ phoneNumberId: number.id, round: 1 });
  expect(next.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000); // waits about a minute
  expect(await relayJobs({ db, sender })).toMatchObject({ claimed: 0 }); // not before its time

  await skipWait();
  await relayJobs({ db, sender });
  await skipWait();
  await relayJobs({ db, sender });

  const attempts = await db.registrationAttempt.findMany({ where: { phoneNumberId: number.id }, orderBy: { attemptedAt: "asc" } });
  expect(attempts.map((a) => a.outcome)).toEqual(["PENDING_PROVISIONING", "PENDING_PROVISIONING", "SUCCEEDED"]);
  expect(await db.jobOutbox.count({ where: { dispatchedAt: null } })).toBe(0);
  expect((await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).onboardingState).toBe("CONNECTED");
});
