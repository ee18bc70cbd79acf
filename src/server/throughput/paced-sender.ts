/**
 * Sending a run of messages through one number as fast as Meta allows and no faster: slots are reserved for the
 * whole run in one round trip (src/server/throughput/pacing.ts), each send leaves at its slot, and sends are in
 * flight side by side (Meta's latency does not lower the rate). What comes back is an outcome per item:
 *
 *  - 130429 (throughput): the number is paused for everyone (shared row); the refused item is handed back as
 *    deferred (Meta did not send it) and the sends of this run that have not left yet queue behind the pause.
 *  - 131056 (pair rate): only that recipient waits (Meta: retry after 4^X s); the others go on.
 *  - anything else: that item failed, with Meta's code; the run goes on.
 */
import { isAppError, type AppError } from "@/server/errors";
import type { Db } from "@/server/db";
import { pairRateRetryMs } from "@/server/whatsapp";
import { callAtReservedSlot, delayUntilSlot, pacedRatePerSecond, sleep, pauseNumberSending, reserveSendSlots, SlidingSecondGuard, throughputLimitFor } from "@/server/throughput/pacing";

export type PacedOutcome<T, R> =
  | { item: T; status: "sent"; result: R }
  | { item: T; status: "failed"; error: AppError | Error }
  | { item: T; status: "deferred"; reason: "throughput" | "pair_rate"; retryAfterMs: number };

/** One guard per process, shared by every run, so two runs on one number in one process share its second. */
const processGuard = new SlidingSecondGuard();

export const throughputPauseMs = 250;

/** How long before its slot an item is prepared (checked and its attempt recorded). */
export const prepareAheadMs = 500;

/** Thrown inside the guard when a pause voided a slot (the guard then counts a call that never left: harmless). */
const voidSlot = new Error("slot voided by a pause");

/** Meta's code behind an error: on a Graph error itself, in its details, or on the error it wraps. */
export function metaCodeOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const own = (error as { metaCode?: unknown }).metaCode;
  if (typeof own === "number") return own;
  if (isAppError(error)) {
    const details = error.details as { metaCode?: unknown; meta_error_code?: unknown };
    const code = details.metaCode ?? details.meta_error_code;
    if (typeof code === "number") return code;
  }
  return error.cause ? metaCodeOf(error.cause) : undefined;
}

/** Runs one call to Meta at its send slot. */
export type PaceMetaCall = <C>(call: () => Promise<C>) => Promise<C>;

export async function sendPaced<T, R>({ db, phoneNumberId, throughputLevel, items, send, pairAttemptOf }: {
  db: Db;
  /** our phone number row id (the pacing key) */
  phoneNumberId: string;
  throughputLevel: string | null | undefined;
  items: T[];
  /**
   * Sends one item. It must make its call to Meta through `paced(call)` (after its own checks and bookkeeping):
   * the call leaves at the item's slot and is counted until a second after Meta answered; a send refused before
   * Meta never waits.
   */
  send: (item: T, paced: PaceMetaCall) => Promise<R>;
  /** how many times this item already met the pair limit (for Meta's 4^X backoff); 0 if unknown */
  pairAttemptOf?: (item: T) => number;
}): Promise<{ outcomes: PacedOutcome<T, R>[]; pausedUntil: Date | null }> {
  if (items.length === 0) return { outcomes: [], pausedUntil: null };
  const perSecond = pacedRatePerSecond(throughputLevel);
  const limit = throughputLimitFor(throughputLevel);
  const reservation = await reserveSendSlots({ db, phoneNumberId, count: items.length, perSecond });
  let pausedUntil: Date | null = null;

  /** A slot of its own, after a pause or for a second call of the same item. */
  async function atFreshSlot<C>(call: () => Promise<C>) {
    const own = await reserveSendSlots({ db, phoneNumberId, count: 1, perSecond });
    return callAtReservedSlot(own, 0, processGuard, phoneNumberId, limit, call);
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

  const outcomes = await Promise.all(
    items.map(async (item, index): Promise<PacedOutcome<T, R>> => {
      const early = delayUntilSlot(reservation, index) - prepareAheadMs;
      if (early > 0) await sleep(early);
      await enter();
      let slotUsed = false;
      const paced: PaceMetaCall = async (call) => {
        if (slotUsed) return atFreshSlot(call);
        slotUsed = true;
        return callAtReservedSlot(reservation, index, processGuard, phoneNumberId, limit, async () => {
          // a 130429 meanwhile paused the number: this slot is void; queue again behind the pause
          if (pausedUntil && pausedUntil.getTime() > Date.now()) throw voidSlot;
          return call();
        }).catch((error) => (error === voidSlot ? atFreshSlot(call) : Promise.reject(error)));
      };
      try {
        return { item, status: "sent", result: await send(item, paced) };
      } catch (error) {
        const metaCode = metaCodeOf(error);
        if (metaCode === 130429) {
          pausedUntil = await pauseNumberSending({ db, phoneNumberId, forMs: throughputPauseMs, reason: "Meta answered 130429 (throughput reached)" });
          return { item, status: "deferred", reason: "throughput", retryAfterMs: throughputPauseMs };
        }
        if (metaCode === 131056) {
          return { item, status: "deferred", reason: "pair_rate", retryAfterMs: pairRateRetryMs(pairAttemptOf?.(item) ?? 0) };
        }
        return { item, status: "failed", error: error as Error };
      } finally {
        leave();
      }
    }),
  );
  return { outcomes, pausedUntil };
}
