/**
 * A job whose process died is picked up again within one short lease: while its process lives the relay renews
 * the claim, so nobody else runs it; once the process is killed (SIGKILL: no clean-up of any kind) the next relay
 * claims it. A real child process on a database of this file's own.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { z } from "zod";
import { useOwnDatabase } from "@/test/own-database";
import { defineEventJob } from "@/server/jobs/definition";
import { inlineLeaseMs, inlineTransport } from "@/server/jobs/inline-runner";
import { enqueueJob, relayJobs } from "@/server/jobs/outbox";

const ownDb = useOwnDatabase("recado_test_crash", 4);
const event = { name: "probe/crash", schema: z.object({ n: z.number() }) };
const leaseMs = 1500;

it("the inline lease is short enough to recover a dead process's job within seconds", () => {
  expect(inlineLeaseMs).toBeLessThanOrEqual(15_000);
});

it("a running job keeps its claim; killed with SIGKILL, its job is claimed again within one lease", async () => {
  const id = randomUUID();
  await enqueueJob(ownDb(), { id, event, data: { n: 1 } });
  const url = (await ownDb().$queryRaw<{ url: string }[]>`SELECT current_database() AS url`)[0]!.url;
  const server = new URL(process.env.DATABASE_URL!);
  server.pathname = `/${url}`;

  // node itself runs the child (tsx as its loader), so SIGKILL reaches the very process that holds the claim
  const child = spawn(process.execPath, ["--import", "tsx", "src/test/outbox-crash-child.ts"], {
    env: { ...process.env, CHILD_DATABASE_URL: server.toString(), CHILD_LEASE_MS: String(leaseMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("running") && resolve());
    child.on("exit", (code) => reject(new Error(`the child exited (${code}) before running the job`)));
  });

  // alive: its renewals keep moving the claim on, and a relay here finds nothing to claim
  const runs: number[] = [];
  const job = defineEventJob({ id: "probe-crash", on: event, handler: async ({ payload }) => void runs.push(payload.n) });
  const here = inlineTransport(ownDb(), [job], { leaseMs });
  const leaseEnd = async () => (await ownDb().jobOutbox.findUniqueOrThrow({ where: { id } })).nextAttemptAt.getTime();
  const firstEnd = await leaseEnd();
  while ((await leaseEnd()) < firstEnd + leaseMs) {
    expect(await relayJobs({ db: ownDb(), transport: here, names: [event.name] })).toMatchObject({ claimed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(runs).toEqual([]);

  child.kill("SIGKILL");
  await exited;
  const killedAt = Date.now();
  while (runs.length === 0) {
    await relayJobs({ db: ownDb(), transport: here, names: [event.name] });
    if (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(Date.now() - killedAt).toBeLessThan(leaseMs + 3000);
  expect(runs).toEqual([1]);
  expect((await ownDb().jobOutbox.findUniqueOrThrow({ where: { id } })).dispatchedAt).not.toBeNull();
}, 60_000);
