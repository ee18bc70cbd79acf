/**
 * Pacing sends at Meta's per-number throughput https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput: 80 msg/s per registered number,
 * 1,000 msg/s after the automatic upgrade to HIGH; over the limit Meta answers 130429).
 *
 * Every paced send (broadcasts today; src/server/throughput/paced-run.ts) of every app instance reserves its
 * slots from one row per number in Postgres (`send_pacing`), a generic cell rate algorithm: the row holds the next
 * free slot; a reservation of n slots moves it n intervals on, in one atomic statement, and answers when the first
 * of them is. Times are measured on the database's clock and handed back as delays, so app instances with skewed clocks
 * still agree. A 130429 pauses the number: nothing is handed out before the pause ends.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

/**
 * Meta's documented limits per throughput level (messages per second per number). Mutable on purpose: a
 * benchmark against a simulator configured with other limits sets the same numbers here.
 */
export const throughputLimits = { STANDARD: 80, HIGH: 1000 };

/** The limit of a throughput level; anything else (not yet registered, unknown) gets the default. */
export function throughputLimitFor(level: string | null | undefined): number {
  return level === "HIGH" ? throughputLimits.HIGH : throughputLimits.STANDARD;
}

/**
 * We pace slightly under the limit: Meta counts arrivals in a sliding second, and a send that leaves a few
 * milliseconds late (event loop, network) must not push the next second over.
 */
export const pacingHeadroom = 0.97;

/** How long a 130429 pauses the number for everyone. */
export const throughputPauseMs = 250;

export function pacedRatePerSecond(level: string | null | undefined): number {
  return throughputLimitFor(level) * pacingHeadroom;
}

export type SlotReservation = {
  count: number;
  /** delay from `reservedAt` (local clock) until the first slot */
  firstSlotInMs: number;
  intervalMs: number;
  reservedAt: number;
  /** the first slot on the database's clock (epoch ms): what every instance agrees on */
  firstSlotAtDbMs: number;
};

/**
 * The statement that reserves `count` consecutive slots (answers `start_ms`, `now_ms` on the database's clock):
 * run alone by `reserveSendSlots`, or folded into another statement as a CTE (a single send records its attempt
 * and reserves its slot in one round trip).
 */
export function reserveSlotsStatement({
  phoneNumberId,
  count,
  perSecond,
}: {
  phoneNumberId: string;
  /** a number, or an SQL expression (a claim that reserves one slot per row it claimed, in the same statement) */
  count: number | Prisma.Sql;
  perSecond: number;
}) {
  if (typeof count === "number" && (!Number.isInteger(count) || count < 1))
    throw new Error(`count must be a positive integer, got ${count}`);
  if (!(perSecond > 0)) throw new Error(`perSecond must be positive, got ${perSecond}`);
  const span =
    typeof count === "number" ? Prisma.sql`${(count * 1000) / perSecond}::float8` : Prisma.sql`((${count}) * ${1000 / perSecond}::float8)`;
  return Prisma.sql`
    INSERT INTO "send_pacing" ("phoneNumberId", "nextSlotAtMs", "updatedAt")
    VALUES (${phoneNumberId}, extract(epoch from clock_timestamp()) * 1000 + ${span}, now())
    ON CONFLICT ("phoneNumberId") DO UPDATE SET
      "nextSlotAtMs" = GREATEST(
        "send_pacing"."nextSlotAtMs",
        extract(epoch from clock_timestamp()) * 1000,
        COALESCE(extract(epoch from "send_pacing"."pausedUntil") * 1000, 0)
      ) + ${span},
      "updatedAt" = now()
    RETURNING ("nextSlotAtMs" - ${span})::float8 AS start_ms, (extract(epoch from clock_timestamp()) * 1000)::float8 AS now_ms`;
}

/** The reservation a `reserveSlotsStatement` answered. */
export function slotReservationOf(row: { start_ms: number; now_ms: number }, count: number, perSecond: number): SlotReservation {
  return {
    count,
    intervalMs: 1000 / perSecond,
    firstSlotInMs: Math.max(0, row.start_ms - row.now_ms),
    reservedAt: Date.now(),
    firstSlotAtDbMs: row.start_ms,
  };
}

/** Reserves `count` consecutive send slots for a number at `perSecond`. One round trip. */
export async function reserveSendSlots({
  db,
  phoneNumberId,
  count,
  perSecond,
}: {
  db: Db;
  phoneNumberId: string;
  count: number;
  perSecond: number;
}): Promise<SlotReservation> {
  const rows = await db.$queryRaw<{ start_ms: number; now_ms: number }[]>(reserveSlotsStatement({ phoneNumberId, count, perSecond }));
  return slotReservationOf(rows[0]!, count, perSecond);
}

/** Milliseconds from now until slot `index` of a reservation (0 when it has come). */
export function delayUntilSlot(reservation: SlotReservation, index: number, now = Date.now()): number {
  const at = reservation.reservedAt + reservation.firstSlotInMs + index * reservation.intervalMs;
  return Math.max(0, at - now);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The second guard, inside one process: never more than Meta's limit of calls in any sliding second, counted
 * the way Meta could count them. Slots alone are not enough: a call reaches Meta some time after it leaves
 * (network, Meta's own queue) and that time varies, so calls that left evenly can arrive bunched — and Meta
 * counts arrivals in a sliding second. A call arrives no later than its answer comes back, so the guard holds a
 * call in its window from the moment it leaves until one second after it was answered; a new call leaves only
 * while fewer than the limit are in flight or answered within the last second. Whatever the latency and its
 * jitter, no second of arrivals can then hold more than the limit (a stall of the event loop included: calls
 * due during a 50 ms pause wait here instead of leaving together).
 */
export class SlidingSecondGuard {
  private readonly windows = new Map<string, { answeredAt: number[]; inFlight: number; waiters: (() => void)[] }>();

  /** Waits for room, then counts one call as in flight; call the returned function when Meta has answered. */
  async admit(key: string, limit: number): Promise<() => void> {
    const capacity = Math.max(1, Math.floor(limit));
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { answeredAt: [], inFlight: 0, waiters: [] }));
    const { answeredAt, waiters } = window;
    for (;;) {
      const now = performance.now();
      // +2 ms: Meta's clock and ours tick in whole milliseconds
      while (answeredAt.length > 0 && answeredAt[0]! + 1000 + 2 <= now) answeredAt.shift();
      if (answeredAt.length + window.inFlight < capacity) break;
      if (answeredAt.length > 0) await sleep(answeredAt[0]! + 1000 + 2 - now);
      else await new Promise<void>((resolve) => waiters.push(resolve)); // all in flight: wait for an answer
    }
    window.inFlight++;
    let answered = false;
    const current = window;
    return () => {
      if (answered) return;
      answered = true;
      current.inFlight--;
      current.answeredAt.push(performance.now());
      for (const wake of current.waiters.splice(0)) wake();
    };
  }

  /** Runs `call` once the window has room, holding its place until one second after it settled. */
  async run<T>(key: string, limit: number, call: () => Promise<T>): Promise<T> {
    const answered = await this.admit(key, limit);
    try {
      return await call();
    } finally {
      answered();
    }
  }
}

/** One guard per process, shared by every send path, so all sends on one number in one process share its second. */
export const processSendGuard = new SlidingSecondGuard();

/**
 * Waits for slot `index` of a reservation, then for room in the guard at the number's real `limit`. The call to
 * Meta leaves now; call the returned function once Meta has answered.
 */
export async function waitForReservedSlot(
  reservation: SlotReservation,
  index: number,
  guard: SlidingSecondGuard,
  key: string,
  limit: number,
): Promise<() => void> {
  const wait = delayUntilSlot(reservation, index);
  if (wait > 0) await sleep(wait);
  return guard.admit(key, limit);
}

/**
 * A slot left more than this late (a busy event loop, a loaded CPU, a wait in the guard) is not used: the send
 * takes a fresh slot instead. This is what keeps the shared slots safe on their own, however many processes send
 * from the number: every call leaves within this much of its slot, so the calls leaving in any one second come
 * from slots inside 1 s + 25 ms, at 97% of the limit at most (1,025 / 1,000 × 97% = 99.4%) — below Meta's limit
 * without any process knowing about the others. (The guard above covers the arrival jitter inside a process.)
 */
export const lateSlotToleranceMs = 25;

/**
 * Waits for slot `index`, then for room in the process's guard; when that left the call later than
 * `lateSlotToleranceMs` after its slot, gives the room back and queues for a fresh slot (`reserveFresh`), as often
 * as it takes. The call to Meta leaves when this resolves; call the returned function once Meta has answered.
 */
export async function departAtSlot({
  reservation,
  index,
  guard,
  key,
  limit,
  reserveFresh,
  onLate,
}: {
  reservation: SlotReservation;
  index: number;
  guard: SlidingSecondGuard;
  key: string;
  limit: number;
  reserveFresh: () => Promise<SlotReservation>;
  onLate?: (lateMs: number) => void;
}): Promise<() => void> {
  let slots = reservation;
  let at = index;
  for (;;) {
    const answered = await waitForReservedSlot(slots, at, guard, key, limit);
    const late = -delayUntilSlotSigned(slots, at);
    if (late <= lateSlotToleranceMs) return answered;
    answered(); // counted as if it had left: only ever errs on the safe side
    onLate?.(late);
    slots = await reserveFresh();
    at = 0;
  }
}

/** Milliseconds from now until slot `index` (negative once it has passed). */
function delayUntilSlotSigned(reservation: SlotReservation, index: number, now = Date.now()): number {
  return reservation.reservedAt + reservation.firstSlotInMs + index * reservation.intervalMs - now;
}

/**
 * After Meta answered 130429: no slots for this number until `forMs` from now (never shortening a longer pause
 * already set). Returns when sending may resume (database clock).
 */
export async function pauseNumberSending({
  db,
  phoneNumberId,
  forMs,
  reason,
}: {
  db: Db;
  phoneNumberId: string;
  forMs: number;
  reason: string;
}) {
  const rows = await db.$queryRaw<{ paused_until: Date }[]>`
    INSERT INTO "send_pacing" ("phoneNumberId", "nextSlotAtMs", "pausedUntil", "pauseReason", "updatedAt")
    VALUES (${phoneNumberId}, extract(epoch from clock_timestamp()) * 1000 + ${forMs},
            (clock_timestamp() AT TIME ZONE 'UTC') + make_interval(secs => ${forMs / 1000}), ${reason}, now())
    ON CONFLICT ("phoneNumberId") DO UPDATE SET
      "pausedUntil" = GREATEST(COALESCE("send_pacing"."pausedUntil", '-infinity'), EXCLUDED."pausedUntil"),
      "nextSlotAtMs" = GREATEST("send_pacing"."nextSlotAtMs", EXCLUDED."nextSlotAtMs"),
      "pauseReason" = EXCLUDED."pauseReason",
      "updatedAt" = now()
    RETURNING "pausedUntil" AS paused_until`;
  return rows[0]!.paused_until;
}
