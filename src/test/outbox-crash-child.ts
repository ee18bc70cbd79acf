/**
 * A process that claims one inline job and dies while running it (src/server/jobs/crash-recovery.test.ts kills it
 * with SIGKILL once it prints "running"). Run with tsx; CHILD_DATABASE_URL names the database.
 */
import { z } from "zod";
import { createDb } from "@/server/db";
import { defineEventJob } from "@/server/jobs/definition";
import { inlineTransport } from "@/server/jobs/inline-runner";
import { relayJobs } from "@/server/jobs/outbox";

const hangingEvent = { name: "probe/crash", schema: z.object({ n: z.number() }) };

const db = createDb(process.env.CHILD_DATABASE_URL!, 2);
const job = defineEventJob({
  id: "probe-crash",
  on: hangingEvent,
  async handler() {
    console.log("running");
    await new Promise(() => {}); // runs until the process is killed
  },
});
await relayJobs({ db, transport: inlineTransport(db, [job], { leaseMs: Number(process.env.CHILD_LEASE_MS) }), names: [hangingEvent.name] });
