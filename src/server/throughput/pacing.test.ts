import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { createGraphClient, isGraphApiError } from "@/server/whatsapp";
import {
  SlidingSecondGuard,
  pacedRatePerSecond,
  pauseNumberSending,
  reserveSendSlots,
  sleep,
  throughputLimitFor,
  waitForReservedSlot,
  type SlotReservation,
} from "@/server/throughput/pacing";
import { testDb } from "@/test/db";
import { createMasterNumber } from "@/test/fixtures";

describe("throughput limits", () => {
  it("follow the number's throughput level, with headroom under Meta's limit", () => {
    expect(throughputLimitFor("STANDARD")).toBe(80);
    expect(throughputLimitFor("HIGH")).toBe(1000);
    expect(throughputLimitFor("NOT_APPLICABLE")).toBe(80);
    expect(throughputLimitFor(null)).toBe(80);
    expect(pacedRatePerSecond("STANDARD")).toBeLessThan(80);
    expect(pacedRatePerSecond("STANDARD")).toBeGreaterThan(76); // within 5% of the limit
    expect(pacedRatePerSecond("HIGH")).toBeGreaterThan(950);
  });
});

describe("send slots shared through Postgres", () => {
  it("hands out disjoint slots to concurrent callers", async () => {
    const number = await createMasterNumber(testDb());
    const perSecond = 80;
    const reservations = await Promise.all(
      Array.from({ length: 12 }, () => reserveSendSlots({ db: testDb(), phoneNumberId: number.id, count: 5, perSecond })),
    );
    const starts = reservations.map((r) => r.firstSlotAtDbMs).sort((a, b) => a - b);
    const span = 5 * (1000 / perSecond);
    for (let i = 1; i < starts.length; i++) {
      // each reservation starts where the previous one's five slots end (or later, if the clock had passed it)
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(span - 0.001);
    }
    const row = await testDb().sendPacing.findUniqueOrThrow({ where: { phoneNumberId: number.id } });
    expect(row.nextSlotAtMs - starts[0]!).toBeGreaterThanOrEqual(12 * span - 0.001);
  });

  it("hands out nothing before a pause set after a 130429 ends", async () => {
    const number = await createMasterNumber(testDb());
    await reserveSendSlots({ db: testDb(), phoneNumberId: number.id, count: 1, perSecond: 80 });
    const pausedUntil = await pauseNumberSending({ db: testDb(), phoneNumberId: number.id, forMs: 400, reason: "130429" });
    expect(pausedUntil.getTime()).toBeGreaterThan(Date.now() + 300);
    // a shorter pause does not cut a longer one short
    await pauseNumberSending({ db: testDb(), phoneNumberId: number.id, forMs: 50, reason: "130429" });
    const next = await reserveSendSlots({ db: testDb(), phoneNumberId: number.id, count: 1, perSecond: 80 });
    expect(next.firstSlotInMs).toBeGreaterThan(300);
  });
});

describe("pacing against the simulator's throughput limit", () => {
  const sim = createMetaSimulator({
    appSecret: "s",
    statusDelaysMs: { sent: null, delivered: null, read: null },
    pairRateLimit: false,
    seed: 3,
  });
  let url = "";
  beforeAll(async () => {
    url = (await sim.listen(0)).url;
  });
  afterAll(() => sim.close());

  async function sendAll(count: number, paced: boolean) {
    const graph = createGraphClient({ baseUrl: url, apiVersion: "v25.0", accessToken: "sim-master-token", retry: { maxAttempts: 1 } });
    const number = await createMasterNumber(testDb());
    const guard = new SlidingSecondGuard();
    const callAtSlot = async <T>(slots: SlotReservation, index: number, key: string, call: () => Promise<T>) => {
      const answered = await waitForReservedSlot(slots, index, guard, key, throughputLimitFor("STANDARD"));
      try {
        return await call();
      } finally {
        answered();
      }
    };
    const reservation = paced
      ? await reserveSendSlots({ db: testDb(), phoneNumberId: number.id, count, perSecond: pacedRatePerSecond("STANDARD") })
      : null;
    const outcomes = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const call = () =>
          graph.sendTemplateMessage({
            phoneNumberId: "106540352242922",
            to: `+3460${String(1000000 + i)}`,
            templateName: "hello_world",
            languageCode: "en_US",
          });
        try {
          await (reservation ? callAtSlot(reservation, i, number.id, call) : call());
          return "sent";
        } catch (error) {
          return isGraphApiError(error) ? String(error.metaCode) : "error";
        }
      }),
    );
    return { sent: outcomes.filter((o) => o === "sent").length, throttled: outcomes.filter((o) => o === "130429").length };
  }

  it("unpaced, a burst over 80 msg/s is refused with 130429 (the simulator enforces Meta's limit)", async () => {
    const result = await sendAll(160, false);
    expect(result.throttled).toBeGreaterThan(0);
  });

  it("paced through the reserved slots, 200 sends at STANDARD all go through", async () => {
    await sleep(1100); // let the previous test's second pass
    const result = await sendAll(200, true);
    expect(result).toEqual({ sent: 200, throttled: 0 });
  });
});

describe("the sliding-second guard", () => {
  /** The most arrivals in any sliding second (Meta's count). */
  const busiestSecond = (arrivals: number[]) => {
    const sorted = [...arrivals].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (sorted[i]! - sorted[j]! >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  };

  it("holds back sends that an event-loop stall bunched together", async () => {
    const guard = new SlidingSecondGuard();
    const arrivals: number[] = [];
    // 12 sends all due at once (as after a stall), at 10 per second
    await Promise.all(Array.from({ length: 12 }, () => guard.run("n", 10, async () => void arrivals.push(performance.now()))));
    expect(arrivals).toHaveLength(12);
    expect(busiestSecond(arrivals)).toBe(10);
  });

  it("never lets more than the limit arrive in a second when calls take varying time to reach Meta", async () => {
    const guard = new SlidingSecondGuard();
    const arrivals: number[] = [];
    // 30 calls at 10 per second; the first ten spend 150 ms on the way before Meta counts them, the others none,
    // and each takes 20 ms to answer: a guard that counted calls when they left would let the second ten leave
    // at 1,000 ms and 20 arrive within one second
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        guard.run("n", 10, async () => {
          await sleep(i < 10 ? 150 : 0);
          arrivals.push(performance.now());
          await sleep(20);
        }),
      ),
    );
    expect(arrivals).toHaveLength(30);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(10);
  });

  it("counts a call until a second after its answer: with every call in flight, the next waits for an answer", async () => {
    const guard = new SlidingSecondGuard();
    const started: number[] = [];
    let answerAt = 0;
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        guard.run("slow", 2, async () => {
          started.push(performance.now());
          if (i < 2) {
            await sleep(300); // Meta answers the first two only after 300 ms
            answerAt = performance.now();
          }
        }),
      ),
    );
    expect(started[2]! - answerAt).toBeGreaterThanOrEqual(1000);
  });
});
