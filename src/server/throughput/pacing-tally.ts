/**
 * What only this process knows about pacing: how often and how long sends waited for their slot, and how often
 * Meta's pacing codes deferred one. Read by the metrics endpoint at scrape time (src/server/monitoring/metrics.ts);
 * every other figure there comes from the database, so it adds up across app instances.
 */
export type PacingTally = {
  /** sends that had to wait for their slot or for room in the sliding second */
  slotWaits: number;
  /** the time they waited, summed */
  slotWaitMs: number;
  /** sends Meta refused with a pacing code, deferred and tried again (130429: throughput, 131056: pair rate) */
  deferrals: { throughput: number; pair_rate: number };
  /** sends that found their process's slots used up or gone stale (a loaded process) and reserved fresh ones */
  lateSlots: number;
};

export const pacingTally: PacingTally = { slotWaits: 0, slotWaitMs: 0, deferrals: { throughput: 0, pair_rate: 0 }, lateSlots: 0 };

/** Waits shorter than this are the event loop's jitter, not pacing. */
const countedWaitMs = 1;

export function tallySlotWait(waitedMs: number) {
  if (waitedMs < countedWaitMs) return;
  pacingTally.slotWaits += 1;
  pacingTally.slotWaitMs += waitedMs;
}

export function tallyDeferral(reason: keyof PacingTally["deferrals"]) {
  pacingTally.deferrals[reason] += 1;
}

export function tallyLateSlot() {
  pacingTally.lateSlots += 1;
}
