/**
 * The broadcast job for RECADO_JOBS=inline (no Inngest server: npm start, the e2e suite): the same domain
 * functions the Inngest functions call in their steps, driven in-process. Chunks run one after another, as
 * Inngest's per-number concurrency of one runs them; each chunk sleeps through rate-limit waits and polls
 * while the broadcast is paused. If the process dies, the job is claimed again after its lease and the
 * chunks, being safe to re-run, pick up where they were.
 */
import type { Db } from "@/server/db";
import { broadcastEvents } from "@/server/broadcasts/service";
import { planBroadcastChunks, sendBroadcastChunk, type ChunkEvent } from "@/server/broadcasts/sending";
import { registerInlineJob } from "@/server/jobs/senders";
import { maxChunkRounds } from "@/server/inngest/functions/broadcasts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one chunk to its end, as the broadcast-send-chunk function does. */
export async function driveChunk(db: Db, chunk: ChunkEvent, { pausePollMs = 1_000 } = {}) {
  for (let round = 0; round < maxChunkRounds; ) {
    const result = await sendBroadcastChunk({ db, chunk });
    if (result.state === "deferred") {
      await sleep(result.retryAfterMs);
      round += 1;
    } else if (result.state === "paused") {
      await sleep(pausePollMs);
    } else return result;
  }
  return null;
}

/** Plans and sends a whole broadcast in this process. */
export async function driveBroadcast(db: Db, broadcastId: string, options?: { pausePollMs?: number }) {
  const chunks = await planBroadcastChunks({ db, broadcastId });
  for (const chunk of chunks) {
    const result = await driveChunk(db, chunk, options);
    if (result?.state === "stopped" || result?.state === "over") break;
  }
  return { chunks: chunks.length };
}

registerInlineJob(broadcastEvents.started, async (data, { db }) => {
  await driveBroadcast(db, String(data.broadcastId));
});
// The driver polls the broadcast's status itself; these need no work inline.
registerInlineJob(broadcastEvents.resumed, async () => {});
registerInlineJob(broadcastEvents.cancelled, async () => {});
