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
import { pacedRatePerSecond, pauseNumberSending, reserveSendSlots, SlidingSecondGuard, waitForReservedSlot } from "@/server/throughput/pacing";

export type PacedOutcome<T, R> =
  | { item: T; status: "sent"; result: R }
  | { item: T; status: "failed"; error: AppError | Error }
  | { item: T; status: "deferred"; reason: "throughput" | "pair_rate"; retryAfterMs: number };

/** One guard per process, shared by every run, so two runs on one number in one process share its second. */
const processGuard = new SlidingSecondGuard();

export const throughputPauseMs = 250;

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

export async function sendPaced<T, R>({ db, phoneNumberId, throughputLevel, items, send, pairAttemptOf }: {
  db: Db;
  /** our phone number row id (the pacing key) */
  phoneNumberId: string;
  throughputLevel: string | null | undefined;
  items: T[];
  /**
   * Sends one item. It must await `waitForSlot()` right before it calls Meta (after its own checks and
   * bookkeeping), so that requests reach Meta at their slots; a send refused before Meta never waits.
   */
  send: (item: T, waitForSlot: () => Promise<void>) => Promise<R>;
  /** how many times this item already met the pair limit (for Meta's 4^X backoff); 0 if unknown */
  pairAttemptOf?: (item: T) => number;
}): Promise<{ outcomes: PacedOutcome<T, R>[]; pausedUntil: Date | null }> {
  if (items.length === 0) return { outcomes: [], pausedUntil: null };
  const perSecond = pacedRatePerSecond(throughputLevel);
  const reservation = await reserveSendSlots({ db, phoneNumberId, count: items.length, perSecond });
  let pausedUntil: Date | null = null;

  /** A slot of its own, after a pause or for a second call of the same item. */
  async function freshSlot() {
    const own = await reserveSendSlots({ db, phoneNumberId, count: 1, perSecond });
    await waitForReservedSlot(own, 0, processGuard, phoneNumberId);
  }

  // Items are prepared (checked, recorded) in order, about half a second ahead of their slots: enough to be
  // ready when the slot comes, few enough that a thousand checks at once do not starve the database pool.
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
      await enter();
      let slotUsed = false;
      const waitForSlot = async () => {
        if (slotUsed) return freshSlot();
        slotUsed = true;
        await waitForReservedSlot(reservation, index, processGuard, phoneNumberId);
        // a 130429 meanwhile paused the number: this slot is void; queue again behind the pause
        if (pausedUntil && pausedUntil.getTime() > Date.now()) await freshSlot();
      };
      try {
        return { item, status: "sent", result: await send(item, waitForSlot) };
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
