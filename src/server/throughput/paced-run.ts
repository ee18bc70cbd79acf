/**
 * A run of sends through one number, as fast as Meta allows and no faster: slots are reserved for the whole run
 * in one round trip (src/server/throughput/pacing.ts), each send leaves at its slot, and sends are in flight side
 * by side (Meta's latency does not lower the rate). The caller walks each item through its turn:
 *
 *   const turn = await run.turn(index);      // half a second before the slot: prepare the send now
 *   const slot = await turn.slot();          // the slot has come and the sliding second has room: call Meta
 *   slot.answered();                         // Meta answered (the guard counts the call for one more second)
 *   await turn.deferral(error, attempts);    // on a refusal: is it Meta's pacing? (see below)
 *   turn.end();                              // always, when the item is done
 *
 *  - 130429 (throughput): the number is paused for everyone (shared row); the refused item is deferred (Meta did
 *    not send it) and the items of this run that have not left yet queue behind the pause.
 *  - 131056 (pair rate): only that recipient waits (Meta: retry after 4^X s); the others go on.
 *  - anything else: not a deferral; the item failed and the run goes on.
 */
import type { Db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { metaThrottleCodes, pairRateRetryMs } from "@/server/whatsapp";
import {
  delayUntilSlot,
  departAtSlot,
  type SlidingSecondGuard,
  pacedRatePerSecond,
  pauseNumberSending,
  reserveSendSlots,
  processSendGuard,
  sleep,
  throughputPauseMs,
  throughputLimitFor,
  type SlotReservation,
} from "@/server/throughput/pacing";
import { tallyDeferral, tallyLateSlot, tallySlotWait } from "@/server/throughput/pacing-tally";

export type Deferral = { reason: "throughput" | "pair_rate"; retryAfterMs: number };

/** How long a 130429 pauses the number (src/server/throughput/pacing.ts). */
export { throughputPauseMs };

/** How long before its slot an item is prepared (checked and its attempt recorded). */
export const prepareAheadMs = 500;

/** A call counted in the sliding second from when it leaves: `answered()` once Meta has answered. */
export type SendSlot = { answered: () => void };

export type SendTurn = {
  /** Waits for the item's slot (a fresh one behind a pause, or for a second call of the item) and room in the second. */
  slot: () => Promise<SendSlot>;
  /** What Meta's refusal means for the run: a deferral for its pacing codes (pausing the number on 130429), else null. */
  deferral: (error: unknown, pairAttempts: number) => Promise<Deferral | null>;
  /** Frees the item's place among those being prepared. */
  end: () => void;
};

export type PacedRun = {
  turn: (index: number) => Promise<SendTurn>;
  /** set when a 130429 paused the number during this run */
  pausedUntil: () => Date | null;
};

/** Reserves `count` slots on the number's shared pacing row and hands out each item's turn. */
export async function startPacedRun({
  db,
  phoneNumberId,
  throughputLevel,
  count,
  reservation: reserved,
  guard = processSendGuard,
}: {
  db: Db;
  /** our phone number row id (the pacing key) */
  phoneNumberId: string;
  throughputLevel: string | null | undefined;
  count: number;
  /** slots already reserved for the run (a broadcast batch reserves them in its claim statement) */
  reservation?: SlotReservation;
  /** the process's sliding-second guard (a test stands two processes side by side with one each) */
  guard?: SlidingSecondGuard;
}): Promise<PacedRun> {
  const perSecond = pacedRatePerSecond(throughputLevel);
  const limit = throughputLimitFor(throughputLevel);
  const reservation = reserved ?? (await reserveSendSlots({ db, phoneNumberId, count, perSecond }));
  let pausedUntil: Date | null = null;

  async function slotOf(slots: SlotReservation, index: number): Promise<SendSlot> {
    const waitFrom = performance.now();
    const answered = await departAtSlot({
      reservation: slots,
      index,
      guard,
      key: phoneNumberId,
      limit,
      reserveFresh: (n) => reserveSendSlots({ db, phoneNumberId, count: n, perSecond }),
      onLate: tallyLateSlot,
    });
    tallySlotWait(performance.now() - waitFrom);
    return { answered };
  }

  /** A slot of its own, after a pause or for a second call of the same item. */
  async function freshSlot() {
    return slotOf(await reserveSendSlots({ db, phoneNumberId, count: 1, perSecond }), 0);
  }

  // Items are prepared (checked, recorded) in order, at most half a second ahead of their slots and no more
  // than half a second's worth at once: ready when the slot comes, and a thousand checks at once do not starve
  // the database pool (nor do recorded attempts sit waiting long, should the process die).
  const lookAhead = Math.max(8, Math.ceil(perSecond / 2));
  let active = 0;
  const queue: (() => void)[] = [];
  const enter = () => (active < lookAhead ? (active++, Promise.resolve()) : new Promise<void>((resolve) => queue.push(resolve)));
  const leave = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };

  return {
    pausedUntil: () => pausedUntil,
    async turn(index) {
      const early = delayUntilSlot(reservation, index) - prepareAheadMs;
      if (early > 0) await sleep(early);
      await enter();
      let slotUsed = false;
      let ended = false;
      return {
        async slot() {
          if (slotUsed) return freshSlot();
          slotUsed = true;
          const slot = await slotOf(reservation, index);
          if (!pausedUntil || pausedUntil.getTime() <= Date.now()) return slot;
          // a 130429 meanwhile paused the number: this slot is void (the guard counts a call that never left:
          // harmless); queue again behind the pause
          slot.answered();
          return freshSlot();
        },
        async deferral(error, pairAttempts) {
          const metaCode = isAppError(error) ? error.metaCode : undefined;
          if (metaCode === metaThrottleCodes.throughput) {
            pausedUntil = await pauseNumberSending({
              db,
              phoneNumberId,
              forMs: throughputPauseMs,
              reason: "Meta answered 130429 (throughput reached)",
            });
            tallyDeferral("throughput");
            return { reason: "throughput", retryAfterMs: throughputPauseMs };
          }
          if (metaCode === metaThrottleCodes.pairRate) {
            tallyDeferral("pair_rate");
            return { reason: "pair_rate", retryAfterMs: pairRateRetryMs(pairAttempts) };
          }
          return null;
        },
        end() {
          if (ended) return;
          ended = true;
          leave();
        },
      };
    },
  };
}
