import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { enqueueJob, relayJobs, type JobSender } from "@/server/jobs/outbox";
import { inlineSender, inngestSender, registerInlineJob } from "@/server/jobs/senders";

// A database of its own: draining takes every pending row, which must not take other test files' rows.
const ownDb = useOwnDatabase("recado_test_jobs", 6);

it("records a job once per id, in the caller's transaction", async () => {
  const id = randomUUID();
  await ownDb().$transaction(async (tx) => {
    await enqueueJob(tx, { id, name: "probe/once", data: { n: 1 } });
    await enqueueJob(tx, { id, name: "probe/once", data: { n: 1 } });
  });
  await expect(
    ownDb().$transaction(async (tx) => {
      await enqueueJob(tx, { name: "probe/rolled-back", data: {} });
      throw new Error("the change failed");
    }),
  ).rejects.toThrow("the change failed");
  expect(await ownDb().jobOutbox.count({ where: { id } })).toBe(1);
  expect(await ownDb().jobOutbox.count({ where: { name: "probe/rolled-back" } })).toBe(0);
  await ownDb().jobOutbox.deleteMany({});
});

it("runs each inline job once even when relays race, and keeps a failing one for a later try", async () => {
  const runs = new Map<string, number>();
  registerInlineJob("probe/inline", async (data) => {
    const key = String(data.key);
    runs.set(key, (runs.get(key) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  registerInlineJob("probe/failing", async () => {
    throw new Error("the simulator said no");
  });
  for (let i = 0; i < 30; i++) await enqueueJob(ownDb(), { name: "probe/inline", data: { key: `k${i}` } });
  await enqueueJob(ownDb(), { name: "probe/failing", data: {} });

  const sender = inlineSender(ownDb());
  const results = await Promise.all(Array.from({ length: 4 }, () => relayJobs({ db: ownDb(), sender, limit: 10 })));
  await relayJobs({ db: ownDb(), sender }); // whatever the racing relays left

  expect(runs.size).toBe(30);
  expect([...runs.values()].every((count) => count === 1)).toBe(true);
  expect(results.reduce((n, r) => n + r.claimed, 0)).toBeGreaterThan(0);
  const failing = await ownDb().jobOutbox.findFirstOrThrow({ where: { name: "probe/failing" } });
  expect(failing.dispatchedAt).toBeNull();
  expect(failing.lastError).toContain("the simulator said no");
  expect(failing.nextAttemptAt.getTime()).toBeGreaterThan(Date.now()); // backs off; not claimed again at once
  expect(await relayJobs({ db: ownDb(), sender })).toMatchObject({ claimed: 0 });
  await ownDb().jobOutbox.deleteMany({});
});

it("keeps jobs when no Inngest server is reachable, and hands them over once one is", async () => {
  await enqueueJob(ownDb(), { name: "probe/for-inngest", data: { n: 1 } });
  // the real Inngest client in dev mode, with no dev server on this machine
  const unreachable: JobSender = { ...inngestSender(), leaseMs: 0 };
  const first = await relayJobs({ db: ownDb(), sender: unreachable });
  expect(first).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
  const kept = await ownDb().jobOutbox.findFirstOrThrow({ where: { name: "probe/for-inngest" } });
  expect(kept.dispatchedAt).toBeNull();

  const handed: string[] = [];
  const reachable: JobSender = { leaseMs: 1000, send: async (events) => ({ delivered: events.map((e) => (handed.push(e.name), e.id)), failed: [] }) };
  await ownDb().jobOutbox.update({ where: { id: kept.id }, data: { nextAttemptAt: new Date(0) } });
  expect(await relayJobs({ db: ownDb(), sender: reachable })).toMatchObject({ delivered: 1 });
  expect(handed).toEqual(["probe/for-inngest"]);
  expect((await ownDb().jobOutbox.findUniqueOrThrow({ where: { id: kept.id } })).dispatchedAt).not.toBeNull();
}, 60_000);
