import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl } from "@/meta-simulator/control-client";
import { createMetaSimulator } from "@/meta-simulator/server";
import type { Db } from "@/server/db";
import { startPacedRun, type Deferral } from "@/server/throughput/paced-run";
import { SlidingSecondGuard } from "@/server/throughput/pacing";
import { createGraphClient } from "@/server/whatsapp";
import { testDb } from "@/test/db";
import { createMasterNumber } from "@/test/fixtures";

// A simulator of its own: its throughput windows and pair buckets must not be shared with other test files.
const sim = createMetaSimulator({
  appSecret: "s",
  statusDelaysMs: { sent: null, delivered: null, read: null },
  undeliverableMode: "sync",
  seed: 5,
});
let graph: ReturnType<typeof createGraphClient>;

beforeAll(async () => {
  const { url } = await sim.listen(0);
  graph = createGraphClient({ baseUrl: url, apiVersion: "v25.0", accessToken: "sim-master-token", retry: { maxAttempts: 1 } });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

type Outcome = { item: string } & ({ status: "sent" } | { status: "failed"; error: Error } | ({ status: "deferred" } & Deferral));

/** Each recipient at its turn of one paced run: the Graph call at its slot, Meta's refusal turned into a deferral or a failure. */
async function sendRun({
  db,
  phoneNumberId,
  throughputLevel,
  items,
  pairAttemptOf = () => 0,
  guard,
  client = graph,
}: {
  db: Db;
  phoneNumberId: string;
  throughputLevel: string;
  items: string[];
  pairAttemptOf?: (item: string) => number;
  guard?: SlidingSecondGuard;
  client?: ReturnType<typeof createGraphClient>;
}) {
  const run = await startPacedRun({ db, phoneNumberId, throughputLevel, count: items.length, guard });
  const outcomes = await Promise.all(
    items.map(async (item, index): Promise<Outcome> => {
      const turn = await run.turn(index);
      try {
        const slot = await turn.slot();
        try {
          await client.sendTemplateMessage({
            phoneNumberId: "106540352242922",
            to: item,
            templateName: "hello_world",
            languageCode: "en_US",
          });
        } finally {
          slot.answered();
        }
        return { item, status: "sent" };
      } catch (error) {
        const deferral = await turn.deferral(error, pairAttemptOf(item));
        return deferral ? { item, status: "deferred", ...deferral } : { item, status: "failed", error: error as Error };
      } finally {
        turn.end();
      }
    }),
  );
  return { outcomes, pausedUntil: run.pausedUntil() };
}

const recipients = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `+3461${String(2000000 + offset + i)}`);

/** The most messages the simulator accepted for its number within any one second (Meta's sliding window). */
function busiestSecond(acceptedAt: number[]) {
  const times = [...acceptedAt].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe("two processes sending from one number", () => {
  // Meta in a process of its own, as in production: the arrival times it counts are not those of the senders'
  // event loop
  let external: ChildProcess;
  let externalUrl = "";
  beforeAll(async () => {
    external = spawn(process.execPath, ["--import", "tsx", "src/meta-simulator/main.ts"], {
      env: { ...process.env, SIM_PORT: "0", SIM_WEBHOOK_URL: "http://127.0.0.1:9/none" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    externalUrl = await new Promise<string>((resolve, reject) => {
      external.stdout!.on("data", (chunk: Buffer) => {
        const found = /Graph API on (http:\/\/[^/\s]+)\//.exec(chunk.toString());
        if (found) resolve(found[1]!);
      });
      external.once("exit", (code) => reject(new Error(`the simulator exited (${code})`)));
    });
    await simulatorControl(externalUrl).configure({
      statusDelaysMs: { sent: null, delivered: null, read: null },
      pairRateLimit: { enabled: false },
    });
  }, 60_000);
  afterAll(() => void external?.kill("SIGTERM"));

  it("two paced senders, each with its own guard (as two app processes), never send more than the number's limit in any second", async () => {
    const number = await createMasterNumber(testDb());
    // when each request leaves for Meta (written to the socket's queue): the instant pacing decides
    const left: number[] = [];
    const client = createGraphClient({
      baseUrl: externalUrl,
      apiVersion: "v25.0",
      accessToken: "sim-master-token",
      retry: { maxAttempts: 1 },
      fetchImpl: (input, init) => {
        if (String(input).includes("106540352242922")) left.push(Date.now());
        return fetch(input, init);
      },
    });
    // warm connections, as a running app has them (another number: its second is its own)
    await Promise.all(
      recipients(20, 90_000).map((to) =>
        client.sendTemplateMessage({ phoneNumberId: "106540352242923", to, templateName: "hello_world", languageCode: "en_US" }),
      ),
    );
    // each "process" sends batch after batch of one second's worth (80 at STANDARD), side by side
    const sender = async (offset: number) => {
      const guard = new SlidingSecondGuard(); // a process's own: the two know nothing of each other
      const outcomes: Outcome[] = [];
      for (let batch = 0; batch < 3; batch++) {
        const items = recipients(80, offset + batch * 80);
        const run = await sendRun({ db: testDb(), phoneNumberId: number.id, throughputLevel: "STANDARD", items, guard, client });
        outcomes.push(...run.outcomes);
      }
      return outcomes;
    };
    const outcomes = (await Promise.all([sender(10_000), sender(20_000)])).flat();

    // what the shared slots guarantee on their own: together, never more than the limit leave in a second
    expect(left.length).toBeGreaterThanOrEqual(480);
    expect(busiestSecond(left)).toBeLessThanOrEqual(80);
    // and Meta's side: nothing refused but for Meta's pacing (arrival jitter on a loaded machine), and a rerun of
    // what was handed back sends each recipient exactly once
    expect(outcomes.filter((o) => o.status === "failed")).toEqual([]);
    const handedBack = outcomes.flatMap((o) => (o.status === "deferred" ? [o.item] : []));
    if (handedBack.length) {
      const rerun = await sendRun({ db: testDb(), phoneNumberId: number.id, throughputLevel: "STANDARD", items: handedBack, client });
      expect(rerun.outcomes.every((o) => o.status === "sent")).toBe(true);
    }
    const accepted = await simulatorControl(externalUrl).messages({ phoneNumberId: "106540352242922" });
    expect(new Set(accepted.map((m) => m.to)).size).toBe(480);
    expect(accepted).toHaveLength(480);
  }, 60_000);
});

describe("a paced run", () => {
  it("a number paced too fast gets 130429: the refused are handed back, the number pauses, and a rerun sends each exactly once", async () => {
    // our row claims HIGH (≈970/s) while the simulator's number is STANDARD (80/s): Meta will refuse
    const number = await createMasterNumber(testDb());
    const everyone = recipients(150);
    const first = await sendRun({ db: testDb(), phoneNumberId: number.id, throughputLevel: "HIGH", items: everyone });

    const sent = first.outcomes.filter((o) => o.status === "sent").map((o) => o.item);
    const deferred = first.outcomes.filter((o) => o.status === "deferred");
    expect(first.outcomes.filter((o) => o.status === "failed")).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(80);
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.length).toBe(150 - sent.length);
    expect(deferred.every((o) => o.status === "deferred" && o.reason === "throughput")).toBe(true);
    expect(first.pausedUntil).not.toBeNull();
    const pacing = await testDb().sendPacing.findUniqueOrThrow({ where: { phoneNumberId: number.id } });
    expect(pacing.pauseReason).toContain("130429");

    // the rerun (at the number's real level), once Meta's second has passed, sends only what was handed back
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const rerun = await sendRun({
      db: testDb(),
      phoneNumberId: number.id,
      throughputLevel: "STANDARD",
      items: deferred.map((o) => o.item),
    });
    expect(rerun.outcomes.every((o) => o.status === "sent")).toBe(true);
    const perRecipient = new Map<string, number>();
    for (const message of sim.sentMessages()) perRecipient.set(message.waId, (perRecipient.get(message.waId) ?? 0) + 1);
    expect(perRecipient.size).toBe(150);
    expect([...perRecipient.values()].every((count) => count === 1)).toBe(true);
  });

  it("the pair limit defers only the recipient that hit it; a refused recipient fails alone with Meta's code", async () => {
    const number = await createMasterNumber(testDb());
    await fetch(`${sim.url}/__sim/recipients`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waIds: ["+34619999999"], onWhatsApp: false }),
    });
    // 50 messages to one customer (Meta's burst allows 45) plus other recipients
    const items = [...Array.from({ length: 50 }, () => "+34610000001"), ...recipients(10, 500), "+34619999999"];
    const { outcomes } = await sendRun({
      db: testDb(),
      phoneNumberId: number.id,
      throughputLevel: "STANDARD",
      items,
      pairAttemptOf: () => 1,
    });
    const pairDeferred = outcomes.filter((o) => o.status === "deferred" && o.reason === "pair_rate");
    expect(pairDeferred.length).toBe(5);
    expect(pairDeferred.every((o) => o.item === "+34610000001" && o.status === "deferred" && o.retryAfterMs === 4000)).toBe(true);
    expect(outcomes.filter((o) => o.status === "sent").length).toBe(45 + 10);
    const failed = outcomes.filter((o) => o.status === "failed");
    expect(failed.map((o) => o.item)).toEqual(["+34619999999"]);
    expect(failed[0]?.status === "failed" && (failed[0].error as { code?: string }).code).toBe("RECIPIENT_NOT_ON_WHATSAPP");
  });
});
