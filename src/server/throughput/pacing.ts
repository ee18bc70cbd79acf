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
  private readonly pools = new Map<string, SlotPool>();

  /** This process's unused slots for `key` (departAtSlot). */
  pool(key: string): SlotPool {
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = new SlotPool()));
    return pool;
  }

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
 * What keeps the shared slots safe on their own, however many processes send from one number: every call leaves
 * within `toleranceMs` of a slot of its process's own. The slots a process reserved are a pool; a call whose turn
 * has come takes the earliest unused slot that is not older than the tolerance (a neighbour's, if that one is
 * late), and waits for it if it lies ahead. Slots a busy process could not use in time are dropped, never used
 * late, so calls never bunch up behind a stall, and no extra round trip is spent on them: a call that finds the
 * pool empty (its process fell behind) reserves fresh slots, together with the calls in the same plight. The slots
 * of all processes are disjoint and handed out at 97% of the limit, so the calls leaving in any second come from
 * slots within 1 s + 20 ms: 1,020 / 1,000 × 97% = 98.9% of the limit at most, with 1.1% (some 10 ms) left for the
 * jitter between leaving and arriving at Meta — without any process knowing of the others.
 */
export const latePacing = { toleranceMs: 20 };

/** One process's unused slots of one number, by time (local clock). */
class SlotPool {
  private readonly times: number[] = [];
  private readonly added = new WeakSet<SlotReservation>();
  private fresh: Promise<void> | null = null;
  private short = 0;

  add(reservation: SlotReservation) {
    if (this.added.has(reservation)) return;
    this.added.add(reservation);
    const first = reservation.reservedAt + reservation.firstSlotInMs;
    const at = Array.from({ length: reservation.count }, (_, i) => first + i * reservation.intervalMs);
    if (this.times.length === 0 || this.times[this.times.length - 1]! <= at[0]!) this.times.push(...at);
    else {
      this.times.push(...at);
      this.times.sort((x, y) => x - y);
    }
  }

  /** The earliest usable slot (taken out of the pool), or null when there is none. */
  take(now: number): number | null {
    let stale = 0;
    while (stale < this.times.length && this.times[stale]! < now - latePacing.toleranceMs) stale++;
    if (stale) this.times.splice(0, stale);
    return this.times.shift() ?? null;
  }

  /** Reserves fresh slots for every call that found the pool empty meanwhile (one round trip for all). */
  async refill(reserve: (count: number) => Promise<SlotReservation>) {
    this.short += 1;
    if (!this.fresh) {
      this.fresh = (async () => {
        await Promise.resolve(); // let the calls in the same plight count themselves
        const count = this.short;
        this.short = 0;
        try {
          this.add(await reserve(count));
        } finally {
          this.fresh = null;
        }
      })();
    }
    await this.fresh;
  }
}

/**
 * Waits for slot `index` of `reservation` (the call's turn), then for room in the process's guard, then takes the
 * slot it leaves at from the process's pool (`latePacing`); `reserveFresh` reserves more when the pool ran dry.
 * The call to Meta leaves when this resolves; call the returned function once Meta has answered.
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
  reserveFresh: (count: number) => Promise<SlotReservation>;
  onLate?: () => void;
}): Promise<() => void> {
  const pool = guard.pool(key);
  pool.add(reservation);
  const answered = await waitForReservedSlot(reservation, index, guard, key, limit);
  for (;;) {
    const slot = pool.take(Date.now());
    if (slot === null) {
      onLate?.();
      await pool.refill(reserveFresh);
      continue;
    }
    const wait = slot - Date.now();
    if (wait > 0) await sleep(wait);
    // a timer that fired late (a loaded process) leaves the slot behind: it is dropped, never used late
    if (Date.now() - slot <= latePacing.toleranceMs) return answered;
  }
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
