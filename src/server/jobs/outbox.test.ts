import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { z } from "zod";
import { useOwnDatabase } from "@/test/own-database";
import { inngestTransport } from "@/server/inngest/transport";
import { defineEventJob } from "@/server/jobs/definition";
import { inlineTransport } from "@/server/jobs/inline-runner";
import { enqueueJob, relayJobs, type JobTransport } from "@/server/jobs/outbox";

const probe = (name: string) => ({ name, schema: z.object({ n: z.number().optional(), key: z.string().optional() }) });
const probes = {
  once: probe("probe/once"),
  rolledBack: probe("probe/rolled-back"),
  inline: probe("probe/inline"),
  failing: probe("probe/failing"),
  forInngest: probe("probe/for-inngest"),
};

// A database of its own: draining takes every pending row, which must not take other test files' rows.
const ownDb = useOwnDatabase("recado_test_jobs", 6);

it("records a job once per id, in the caller's transaction", async () => {
  const id = randomUUID();
  await ownDb().$transaction(async (tx) => {
    await enqueueJob(tx, { id, event: probes.once, data: { n: 1 } });
    await enqueueJob(tx, { id, event: probes.once, data: { n: 1 } });
  });
  await expect(
    ownDb().$transaction(async (tx) => {
      await enqueueJob(tx, { event: probes.rolledBack, data: {} });
      throw new Error("the change failed");
    }),
  ).rejects.toThrow("the change failed");
  expect(await ownDb().jobOutbox.count({ where: { id } })).toBe(1);
  expect(await ownDb().jobOutbox.count({ where: { name: "probe/rolled-back" } })).toBe(0);
  await ownDb().jobOutbox.deleteMany({});
});

it("runs each inline job once even when relays race, and keeps a failing one for a later try", async () => {
  const runs = new Map<string, number>();
  const jobs = [
    defineEventJob({
      id: "probe-inline",
      on: probes.inline,
      async handler({ payload }) {
        const key = String(payload.key);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    }),
    defineEventJob({
      id: "probe-failing",
      on: probes.failing,
      async handler() {
        throw new Error("the simulator said no");
      },
    }),
  ];
  for (let i = 0; i < 30; i++) await enqueueJob(ownDb(), { event: probes.inline, data: { key: `k${i}` } });
  await enqueueJob(ownDb(), { event: probes.failing, data: {} });

  const transport = inlineTransport(ownDb(), jobs);
  const results = await Promise.all(Array.from({ length: 4 }, () => relayJobs({ db: ownDb(), transport, limit: 10 })));
  await relayJobs({ db: ownDb(), transport }); // whatever the racing relays left

  expect(runs.size).toBe(30);
  expect([...runs.values()].every((count) => count === 1)).toBe(true);
  expect(results.reduce((n, r) => n + r.claimed, 0)).toBeGreaterThan(0);
  const failing = await ownDb().jobOutbox.findFirstOrThrow({ where: { name: "probe/failing" } });
  expect(failing.dispatchedAt).toBeNull();
  expect(failing.lastError).toContain("the simulator said no");
  expect(failing.nextAttemptAt.getTime()).toBeGreaterThan(Date.now()); // backs off; not claimed again at once
  expect(await relayJobs({ db: ownDb(), transport })).toMatchObject({ claimed: 0 });
  await ownDb().jobOutbox.deleteMany({});
});

it("keeps jobs when no Inngest server is reachable, and hands them over once one is", async () => {
  await enqueueJob(ownDb(), { event: probes.forInngest, data: { n: 1 } });
  // the real Inngest client in dev mode, with no dev server on this machine
  const unreachable: JobTransport = { ...inngestTransport(), leaseMs: 0 };
  const first = await relayJobs({ db: ownDb(), transport: unreachable });
  expect(first).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
  const kept = await ownDb().jobOutbox.findFirstOrThrow({ where: { name: "probe/for-inngest" } });
  expect(kept.dispatchedAt).toBeNull();

  const handed: string[] = [];
  const reachable: JobTransport = {
    leaseMs: 1000,
    send: async (events) => ({ delivered: events.map((e) => (handed.push(e.name), e.id)), failed: [] }),
  };
  await ownDb().jobOutbox.update({ where: { id: kept.id }, data: { nextAttemptAt: new Date(0) } });
  expect(await relayJobs({ db: ownDb(), transport: reachable })).toMatchObject({ delivered: 1 });
  expect(handed).toEqual(["probe/for-inngest"]);
  expect((await ownDb().jobOutbox.findUniqueOrThrow({ where: { id: kept.id } })).dispatchedAt).not.toBeNull();
}, 60_000);

it("refuses a payload that fails its event's schema when sent: nothing is written", async () => {
  const strict = {
    name: "probe/strict",
    schema: z.object({ phoneNumberId: z.string().min(1, "phoneNumberId: expected the number's id") }),
  };
  await expect(enqueueJob(ownDb(), { event: strict, data: { phoneNumberId: "" } })).rejects.toMatchObject({
    code: "VALIDATION_FAILED",
    message: expect.stringContaining("phoneNumberId: expected the number's id"),
  });
  await expect(enqueueJob(ownDb(), { event: strict, data: { phoneNumberId: 42 } as never })).rejects.toThrow(/phoneNumberId/);
  expect(await ownDb().jobOutbox.count({ where: { name: "probe/strict" } })).toBe(0);
});
