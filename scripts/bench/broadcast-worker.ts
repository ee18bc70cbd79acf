/**
 * One app instance for `npm run bench:broadcast`: the broadcast jobs run in process on the job outbox, relayed
 * the way the app's background ticker relays them (src/server/wiring/ticker.ts: every 2 s, up to 4 relays side
 * by side), with the environment the parent hands over. It prints "ready" once it relays; SIGTERM ends it cleanly
 * (so `--cpu-prof` can write its profile), SIGKILL is the crash the kill-and-restart mode means.
 */
import { performance as nodePerformance } from "node:perf_hooks";
import { createDb } from "../../src/server/db";

const level = (process.env.BENCH_LEVEL ?? "HIGH") as "HIGH" | "STANDARD";
const limit = Number(process.env.BENCH_LIMIT);
const { broadcastFanOutJob, broadcastSendChunkJob } = await import("../../src/server/broadcasts/jobs");
const { unknownRecipients } = await import("../../src/server/broadcasts/sending");
const { jobEvents } = await import("../../src/server/jobs/events");
const { inlineTransport } = await import("../../src/server/jobs/inline-runner");
const { relayJobs } = await import("../../src/server/jobs/outbox");
const { throughputLimits } = await import("../../src/server/throughput/pacing");
const { pacingTally } = await import("../../src/server/throughput/pacing-tally");
throughputLimits[level] = limit; // the simulator's number is limited to the same
if (process.env.BENCH_REOFFER_MS) unknownRecipients.reofferAfterMs = Number(process.env.BENCH_REOFFER_MS);

const db = createDb(process.env.DATABASE_URL!, Number(process.env.DATABASE_POOL_MAX ?? 20));
const transport = inlineTransport(db, [broadcastFanOutJob, broadcastSendChunkJob]);
const names = [jobEvents.broadcastStarted.name, jobEvents.broadcastChunk.name];
const relayLimit = Number(process.env.BENCH_RELAY_LIMIT ?? 100);
const maxRelays = Number(process.env.BENCH_MAX_RELAYS ?? 4);
let relays = 0;
const tick = () => {
  if (relays >= maxRelays) return;
  relays += 1;
  relayJobs({ db, transport, names, limit: relayLimit })
    .catch((error: Error) => console.error("worker: relay failed:", error.message))
    .finally(() => (relays -= 1));
};
setInterval(tick, 2_000);
tick();
const startedAt = performance.now();
process.on("SIGTERM", () => {
  const t = pacingTally;
  const cpu = process.cpuUsage();
  const { eventLoopUtilization } = nodePerformance;
  console.error(
    `  instance ${process.pid}: CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; ` +
      `event loop busy ${(100 * eventLoopUtilization().utilization).toFixed(0)}% of the time`,
  );
  console.error(
    `  instance ${process.pid}: sends that reserved fresh slots (process fell behind): ${t.lateSlots}; waits for a slot: ${t.slotWaits} ` +
      `(${(t.slotWaitMs / 1000).toFixed(1)} s in all); deferred on 130429: ${t.deferrals.throughput}`,
  );
  process.exit(0);
});
console.log("ready");
