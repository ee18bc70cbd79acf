/**
 * Broadcast jobs: a started (or resumed) broadcast fans out into chunk jobs; each chunk sends its range of
 * recipients (src/server/broadcasts/sending.ts), waiting out rate limits between rounds.
 *
 * A pause ends the chunks that see it, and resuming fans the broadcast out again: recipients already sent are
 * skipped by the chunk that finds them sent, so a broadcast resumed after a day or a month sends exactly its
 * rest. (A chunk waiting for the resume instead has to give up some time, within Inngest's 1,000 steps per run,
 * and a broadcast resumed after that would never finish.)
 */
import { planBroadcastChunks, sendBroadcastChunk, chunkFlowControl } from "@/server/broadcasts/sending";
import { startDueBroadcasts } from "@/server/broadcasts/lifecycle";
import { defineCronJob, defineEventJob } from "@/server/jobs/definition";
import { jobEvents } from "@/server/jobs/events";

/** Events per sendEvent step: keeps each step's payload small for a 100,000-recipient broadcast. */
const fanOutBatch = 500;

/** Most rounds a chunk takes to hand out what rate limits handed back (pair-rate waits grow as 4^n s). */
export const maxChunkRounds = 8;

/** A started or resumed broadcast becomes one chunk job per twenty seconds of its number's throughput. */
export const broadcastFanOutJob = defineEventJob({
  id: "broadcast-fan-out",
  on: [jobEvents.broadcastStarted, jobEvents.broadcastResumed],
  async handler({ payload, run, db }) {
    const chunks = await run.run("plan chunks", () => planBroadcastChunks({ db, broadcastId: payload.broadcastId }));
    for (let i = 0; i < chunks.length; i += fanOutBatch) {
      await run.sendEvent(
        `fan out ${i / fanOutBatch}`,
        chunks.slice(i, i + fanOutBatch).map((data) => ({ event: jobEvents.broadcastChunk, data })),
      );
    }
    return { chunks: chunks.length };
  },
});

/**
 * One chunk: flow control keyed by the sending number (one chunk at a time per number, at most one start per
 * second), cancelled with its broadcast, waiting out rate limits durably between rounds.
 */
export const broadcastSendChunkJob = defineEventJob({
  id: "broadcast-send-chunk",
  on: jobEvents.broadcastChunk,
  flowControl: { ...chunkFlowControl, cancelOn: [{ event: jobEvents.broadcastCancelled, match: "broadcastId" }] },
  async handler({ payload: chunk, run, db }) {
    // rounds name the steps; only rate-limit rounds count against the limit (a wait for the status of a
    // recipient left unknown happens at most once per recipient: it is offered once more, or settled)
    for (let round = 0, rateLimitRounds = 0; rateLimitRounds < maxChunkRounds && round < maxChunkRounds * 2; round++) {
      const result = await run.run(`send round ${round}`, () => sendBroadcastChunk({ db, chunk }));
      if (result.state !== "deferred") return result; // done, over, stopped — or paused, until a resume fans out again
      await run.sleep(`rate limit wait ${round}`, result.retryAfterMs);
      if (result.reason === "rate_limit") rateLimitRounds += 1;
    }
    return { state: "gave up after rate limits" };
  },
});

/**
 * Scheduled broadcasts: every minute, the drafts whose time has come are started (lifecycle.ts). Durable by
 * construction: the schedule is the broadcast's own row, so a moved or cancelled schedule needs no event to be
 * withdrawn, and a minute missed while the app was down is caught up by the next run.
 */
export const scheduledBroadcastsJob = defineCronJob({
  id: "scheduled-broadcasts",
  cron: "* * * * *",
  flowControl: { concurrency: { limit: 1 } },
  async handler({ run, db }) {
    return run.run("start due broadcasts", () => startDueBroadcasts({ db }));
  },
});
