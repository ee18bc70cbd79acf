import { getDb } from "@/server/db";
import { inngest } from "@/server/inngest/client";
import { broadcastEvents } from "@/server/broadcasts/service";
import { chunkFlowControl, planBroadcastChunks, sendBroadcastChunk, type ChunkEvent } from "@/server/broadcasts/sending";

/** Events per sendEvent step: keeps each step's payload small for a 100,000-recipient broadcast. */
const fanOutBatch = 500;

/** A started broadcast becomes one chunk event per second of its number's throughput. */
export const broadcastFanOut = inngest.createFunction(
  { id: "broadcast-fan-out", triggers: [{ event: broadcastEvents.started }] },
  async ({ event, step }) => {
    const chunks = await step.run("plan chunks", () => planBroadcastChunks({ db: getDb(), broadcastId: String(event.data.broadcastId) }));
    for (let i = 0; i < chunks.length; i += fanOutBatch) {
      await step.sendEvent(`fan out ${i / fanOutBatch}`, chunks.slice(i, i + fanOutBatch).map((data) => ({ name: broadcastEvents.chunk, data })));
    }
    return { chunks: chunks.length };
  },
);

/** Most rounds a chunk takes to hand out what rate limits handed back (pair-rate waits grow as 4^n s). */
export const maxChunkRounds = 8;

/** Half-hour waits for a resume before a paused chunk gives up: a week, within Inngest's 1,000 steps per run. */
const maxPausedWaits = 7 * 48;

/**
 * One chunk: flow control keyed by the sending number (one chunk at a time per number, at most one start per
 * second), cancelled with its broadcast, waiting out rate limits and pauses durably between rounds.
 */
export const broadcastSendChunk = inngest.createFunction(
  {
    id: "broadcast-send-chunk",
    triggers: [{ event: broadcastEvents.chunk }],
    throttle: chunkFlowControl.throttle,
    concurrency: chunkFlowControl.concurrency,
    cancelOn: [{ event: broadcastEvents.cancelled, match: "data.broadcastId" }],
  },
  async ({ event, step }) => {
    const chunk = event.data as ChunkEvent;
    // rounds name the steps; only rate-limit rounds count against the limit (an owner may pause any number of times)
    let pausedWaits = 0;
    for (let round = 0, rateLimitRounds = 0; rateLimitRounds < maxChunkRounds; round++) {
      const result = await step.run(`send round ${round}`, () => sendBroadcastChunk({ db: getDb(), chunk }));
      if (result.state === "deferred") {
        await step.sleep(`rate limit wait ${round}`, result.retryAfterMs);
        rateLimitRounds += 1;
        continue;
      }
      if (result.state === "paused") {
        // An event sent before the wait began is not seen (Inngest matches only later ones): a resume that came
        // while this step was ending is caught by the next round's status check, at most half an hour later.
        pausedWaits += 1;
        if (pausedWaits > maxPausedWaits) return { state: "paused too long" };
        await step.waitForEvent(`resume ${round}`, { event: broadcastEvents.resumed, match: "data.broadcastId", timeout: "30m" });
        continue;
      }
      return result;
    }
    return { state: "gave up after rate limits" };
  },
);
