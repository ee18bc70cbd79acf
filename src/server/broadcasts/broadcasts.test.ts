/**
 * Broadcasts end to end on real Postgres and a simulator of this file's own (faults and recipients here must
 * not leak into other test files): the Inngest functions run with @inngest/test, sending through the real
 * send service and Graph client.
 */
import { InngestTestEngine } from "@inngest/test";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { simulatorControl } from "@/meta-simulator/control-client";
import { broadcastFanOutJob, broadcastSendChunkJob } from "@/server/broadcasts/jobs";
import { inngestFunctionFor } from "@/server/inngest/provider";
import {
  cancelBroadcast,
  createBroadcast,
  pauseBroadcast,
  previewBroadcast,
  resumeBroadcast,
  startBroadcast,
  type BroadcastDraftInput,
} from "@/server/broadcasts/lifecycle";
import { batchSizeFor, chunkFlowControl, planBroadcastChunks, sendBroadcastChunk, type ChunkEvent } from "@/server/broadcasts/sending";
import { broadcastProgress, recipientReportCsv, summaryOf } from "@/server/broadcasts/progress";
import { testDb } from "@/test/db";
import { createSendingTenant } from "@/test/messaging-world";
import { callerAs } from "@/test/fixtures";

const sim = createMetaSimulator({
  appSecret: "s",
  statusDelaysMs: { sent: null, delivered: null, read: null },
  undeliverableMode: "sync",
  pairRateLimit: false,
  seed: 11,
});
let simUrl = "";

beforeAll(async () => {
  simUrl = (await sim.listen(0)).url;
  // the app's Graph client (master account) talks to this file's simulator
  process.env.META_GRAPH_BASE_URL = simUrl;
});
afterAll(() => sim.close());

let phoneSeq = 0;
const phoneOf = (n: number) => `+3462${String(1_000_000 + (phoneSeq * 10_000 + n)).padStart(7, "0")}`;

/** A bakery on a number at the given level, with `count` opted-in contacts (and some that must be excluded). */
async function bakeryWithContacts(count: number, { level = "HIGH" as "HIGH" | "STANDARD", optedOut = 0, flagged = 0 } = {}) {
  phoneSeq += 1;
  const world = await createSendingTenant(testDb(), simUrl);
  await world.control.updatePhoneNumber(world.number.metaPhoneNumberId, { throughput: level });
  await testDb().phoneNumber.update({ where: { id: world.number.id }, data: { throughputLevel: level } });
  // these broadcasts are larger than an equal split of the shared account's limit (costs/share.ts): the admin's share
  await testDb().tenantCostSettings.create({ data: { tenantId: world.tenant.id, dailyConversationShare: 1_000_000 } });
  const rows = Array.from({ length: count + optedOut + flagged }, (_, i) => ({
    tenantId: world.tenant.id,
    phoneE164: phoneOf(i),
    name: `Cliente ${i}`,
    optedIn: i < count + flagged,
    notOnWhatsAppAt: i >= count && i < count + flagged ? new Date() : null,
    createdAt: new Date(Date.now() - (count - i) * 1000),
  }));
  await testDb().contact.createMany({ data: rows });
  return { ...world, phones: rows.map((r) => r.phoneE164) };
}

const draft = (overrides: Partial<BroadcastDraftInput> = {}): BroadcastDraftInput => ({
  name: "Oferta de San Juan",
  templateName: "po_notification",
  parameters: [
    { kind: "field", field: "name" },
    { kind: "fixed", value: "PROMO-24" },
    { kind: "fixed", value: "20 %" },
  ],
  audience: { kind: "all" },
  ...overrides,
});

async function started(tenantId: string, input = draft()) {
  const broadcast = await createBroadcast({ db: testDb(), tenantId, userId: null, input });
  await startBroadcast({ db: testDb(), tenantId, broadcastId: broadcast.id });
  return broadcast.id;
}

/** The fan-out through Inngest's engine: the chunk events it sends. */
async function fanOut(broadcastId: string, tenantId: string): Promise<ChunkEvent[]> {
  const t = new InngestTestEngine({
    function: inngestFunctionFor(broadcastFanOutJob),
    events: [{ name: "broadcast/started", data: { broadcastId, tenantId } }],
    // no Inngest server here: the events are read from the step's arguments
    steps: Array.from({ length: 4 }, (_, i) => ({ id: `fan out ${i}`, handler: () => ({ ids: [] }) })),
  });
  const { ctx } = await t.execute();
  const calls = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: ChunkEvent }[]][] } }).mock.calls;
  return calls.flatMap(([, events]) => events.map((e) => e.data));
}

/** One chunk through Inngest's engine; rate-limit waits really wait (mocked sleep steps). */
async function runChunk(chunk: ChunkEvent) {
  const t = new InngestTestEngine({
    function: inngestFunctionFor(broadcastSendChunkJob),
    events: [{ name: "broadcast/chunk.send", data: chunk }],
    steps: Array.from({ length: 8 }, (_, round) => ({
      id: `rate limit wait ${round}`,
      handler: () => new Promise((resolve) => setTimeout(resolve, 1100)),
    })),
  });
  return (await t.execute()).result;
}

const sentTo = (phones: string[]) => {
  const wanted = new Set(phones.map((p) => p.replace("+", "")));
  const counts = new Map<string, number>();
  for (const m of sim.sentMessages()) if (wanted.has(m.waId)) counts.set(m.waId, (counts.get(m.waId) ?? 0) + 1);
  return counts;
};

describe("pacing configuration", () => {
  it("keys Inngest's flow control by the sending number, and sizes chunks and batches by its throughput", async () => {
    expect(chunkFlowControl.throttle.key).toBe("event.data.phoneNumberId");
    expect(chunkFlowControl.concurrency.key).toBe("event.data.phoneNumberId");
    expect(chunkFlowControl.concurrency.limit).toBe(1);
    expect([batchSizeFor("STANDARD"), batchSizeFor("HIGH")]).toEqual([80, 1000]); // one second of throughput
    const standard = await bakeryWithContacts(1700, { level: "STANDARD" });
    const id = await started(standard.tenant.id);
    const chunks = await planBroadcastChunks({ db: testDb(), broadcastId: id });
    expect(chunks.map((c) => [c.fromSeq, c.toSeq])).toEqual([
      [1, 1600],
      [1601, 1700],
    ]); // 20 s of 80 msg/s
    expect(chunks.every((c) => c.phoneNumberId === standard.number.id)).toBe(true);
    await testDb().phoneNumber.update({ where: { id: standard.number.id }, data: { throughputLevel: "HIGH" } });
    expect((await planBroadcastChunks({ db: testDb(), broadcastId: id })).map((c) => [c.fromSeq, c.toSeq])).toEqual([[1, 1700]]); // HIGH: 20,000 per chunk
  });
});

describe("broadcasts", () => {
  it("previews the rendered message and counts who is excluded; starting twice records everyone once", async () => {
    const world = await bakeryWithContacts(5, { optedOut: 2, flagged: 1 });
    const preview = await previewBroadcast({ db: testDb(), tenantId: world.tenant.id, input: draft() });
    expect(preview).toMatchObject({ eligible: 5, excludedOptedOut: 2, excludedNotOnWhatsApp: 1, excludedInvalid: 0 });
    expect(preview.renderedBody).toContain("Cliente 0");
    expect(preview.renderedBody).toContain("PROMO-24");

    const csv = await previewBroadcast({
      db: testDb(),
      tenantId: world.tenant.id,
      input: draft({ audience: { kind: "csv", fileName: "x.csv", phones: [world.phones[0]!, "12", "+34 999"] } }),
    });
    expect(csv).toMatchObject({ eligible: 1, excludedInvalid: 2 });

    const broadcast = await createBroadcast({ db: testDb(), tenantId: world.tenant.id, userId: null, input: draft() });
    const [a, b] = await Promise.all([
      startBroadcast({ db: testDb(), tenantId: world.tenant.id, broadcastId: broadcast.id }),
      startBroadcast({ db: testDb(), tenantId: world.tenant.id, broadcastId: broadcast.id }),
    ]);
    expect([a.total, b.total]).toContain(5);
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: broadcast.id } })).toBe(5);
    expect(await testDb().jobOutbox.count({ where: { id: `broadcast-started:${broadcast.id}` } })).toBe(1);
  });

  it("a 1,000-recipient broadcast with some recipients not on WhatsApp ends with the right counts and breakdown", async () => {
    const world = await bakeryWithContacts(1000);
    const notOnWhatsApp = world.phones.filter((_, i) => i % 40 === 7); // 25 of them
    await fetch(`${simUrl}/__sim/recipients`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waIds: notOnWhatsApp, onWhatsApp: false }),
    });
    const id = await started(world.tenant.id);

    const chunks = await fanOut(id, world.tenant.id);
    expect(chunks).toHaveLength(1);
    for (const chunk of chunks) await runChunk(chunk);

    const progress = await broadcastProgress({ db: testDb(), tenantId: world.tenant.id, broadcastId: id });
    expect(summaryOf(progress)).toEqual({
      broadcast_id: id,
      status: "completed",
      results: {
        total: 1000,
        sent: 975,
        failed: 25,
        failure_breakdown: { not_on_whatsapp: 25 },
        meta_limited_marketing: { label: "Meta limited marketing to this person today", count: 0, retried: 0, retry_sent: 0 },
      },
    });
    const perRecipient = sentTo(world.phones);
    expect(perRecipient.size).toBe(975);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    // flagged, so later sends leave them out
    expect(await testDb().contact.count({ where: { tenantId: world.tenant.id, notOnWhatsAppAt: { not: null } } })).toBe(25);
  });

  it("an injected 130429 pauses the number and resumes without losing or duplicating anyone", async () => {
    const world = await bakeryWithContacts(150);
    const id = await started(world.tenant.id);
    await fetch(`${simUrl}/__sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ next: [{ type: "error", code: 130429, httpStatus: 400, title: "Rate limit hit" }] }),
    });
    const [chunk] = await fanOut(id, world.tenant.id);
    const result = await runChunk(chunk!);

    expect(result).toMatchObject({ state: "done" });
    const recipients = await testDb().broadcastRecipient.findMany({ where: { broadcastId: id } });
    expect(recipients.every((r) => r.status === "SENT")).toBe(true);
    expect(recipients.some((r) => r.deferrals > 0)).toBe(true);
    const pacing = await testDb().sendPacing.findUniqueOrThrow({ where: { phoneNumberId: world.number.id } });
    expect(pacing.pauseReason).toContain("130429");
    const perRecipient = sentTo(world.phones);
    expect(perRecipient.size).toBe(150);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  });

  it("a step retried after its sends succeeded does not send twice", async () => {
    const world = await bakeryWithContacts(40);
    const id = await started(world.tenant.id);
    const [chunk] = await planBroadcastChunks({ db: testDb(), broadcastId: id });
    await sendBroadcastChunk({ db: testDb(), chunk: chunk! });
    // the process died after Meta accepted the messages but before the recipients were updated
    await testDb().broadcastRecipient.updateMany({ where: { broadcastId: id }, data: { status: "SENDING", messageId: null, wamid: null } });
    await testDb().broadcast.update({ where: { id }, data: { status: "SENDING", finishedAt: null } });
    const before = sim.sentMessages().length;

    await runChunk(chunk!); // Inngest retries the step

    expect(sim.sentMessages().length).toBe(before);
    const recipients = await testDb().broadcastRecipient.findMany({ where: { broadcastId: id } });
    expect(recipients.every((r) => r.status === "SENT" && r.wamid)).toBe(true);
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id } })).status).toBe("COMPLETED");
  });

  it("a first batch that fails entirely stops the broadcast and raises the alert", async () => {
    const world = await bakeryWithContacts(450, { level: "STANDARD" });
    const id = await started(world.tenant.id);
    const messageCalls = async () =>
      (await simulatorControl(simUrl).requestCounts()).byPath[`POST /${world.number.metaPhoneNumberId}/messages`] ?? 0;
    const messagesBefore = await messageCalls();
    await fetch(`${simUrl}/__sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        errorRate: 1,
        error: { code: 190, httpStatus: 401, title: "Error validating access token" },
        pathPattern: "/messages",
      }),
    });
    try {
      const chunks = await fanOut(id, world.tenant.id);
      for (const chunk of chunks) await runChunk(chunk);
    } finally {
      await fetch(`${simUrl}/__sim/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ errorRate: 0, pathPattern: null }),
      });
    }
    const broadcast = await testDb().broadcast.findUniqueOrThrow({ where: { id } });
    expect(broadcast.status).toBe("STOPPED");
    expect(broadcast.stoppedReason).toContain("TOKEN_EXPIRED");
    // the first batch is one second of the number's throughput (80 at STANDARD); nobody after it was tried
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: id, status: "FAILED" } })).toBe(80);
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: id, status: "CANCELLED" } })).toBe(370);
    expect(await messageCalls()).toBe(messagesBefore + 80);
    const alert = await testDb().alert.findUniqueOrThrow({ where: { dedupeKey: `broadcast_stopped:${id}` } });
    expect(alert).toMatchObject({ severity: "CRITICAL", tenantId: world.tenant.id });
    await testDb().businessAccount.updateMany({ data: { tokenInvalidAt: null } });
  });

  /** Runs the broadcast's only chunk and calls `act` once the simulator has accepted `after` of its messages. */
  async function actWhileSending(world: { phones: string[] }, chunk: ChunkEvent, after: number, act: () => Promise<unknown>) {
    const running = sendBroadcastChunk({ db: testDb(), chunk });
    while (sentTo(world.phones).size < after) await new Promise((resolve) => setTimeout(resolve, 20));
    await act();
    return running;
  }

  it("cancel stops further sends, also in the middle of a chunk", async () => {
    const world = await bakeryWithContacts(400, { level: "STANDARD" }); // one chunk, five seconds of sending
    const id = await started(world.tenant.id);
    const [chunk] = await fanOut(id, world.tenant.id);
    const result = await actWhileSending(world, chunk!, 100, () =>
      cancelBroadcast({ db: testDb(), tenantId: world.tenant.id, broadcastId: id }),
    );
    const sentAtEnd = sentTo(world.phones).size;

    expect(result).toMatchObject({ state: "over" });
    // what was lined up within about a second went out; then nothing more
    expect(sentAtEnd).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(world.phones).size).toBe(sentAtEnd);
    expect(await runChunk(chunk!)).toMatchObject({ state: "over" });
    expect(sentTo(world.phones).size).toBe(sentAtEnd);
    const progress = await broadcastProgress({ db: testDb(), tenantId: world.tenant.id, broadcastId: id });
    expect(progress).toMatchObject({ status: "CANCELLED", sent: sentAtEnd, cancelled: 400 - sentAtEnd, pending: 0, failed: 0 });
  });

  it("pause holds the rest of a running chunk; resume sends each of them once", async () => {
    const world = await bakeryWithContacts(400, { level: "STANDARD" });
    const id = await started(world.tenant.id);
    const [chunk] = await fanOut(id, world.tenant.id);
    const paused = await actWhileSending(world, chunk!, 100, () =>
      pauseBroadcast({ db: testDb(), tenantId: world.tenant.id, broadcastId: id }),
    );
    const sentWhilePaused = sentTo(world.phones).size;

    expect(paused).toMatchObject({ state: "paused" });
    expect(sentWhilePaused).toBeLessThan(300);
    const held = await broadcastProgress({ db: testDb(), tenantId: world.tenant.id, broadcastId: id });
    expect(held).toMatchObject({ status: "PAUSED", sent: sentWhilePaused, pending: 400 - sentWhilePaused });

    await resumeBroadcast({ db: testDb(), tenantId: world.tenant.id, broadcastId: id });
    expect(await runChunk(chunk!)).toMatchObject({ state: "done" });
    const perRecipient = sentTo(world.phones);
    expect(perRecipient.size).toBe(400);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id } })).status).toBe("COMPLETED");
  });

  it("a chunk that died mid-way sends the recipients it never offered to Meta, and never resends the others", async () => {
    const world = await bakeryWithContacts(30);
    const id = await started(world.tenant.id);
    const [chunk] = await fanOut(id, world.tenant.id);
    const recipients = await testDb().broadcastRecipient.findMany({ where: { broadcastId: id }, orderBy: { seq: "asc" } });
    // the dead run had claimed everyone; it recorded an attempt for the first ten (Meta answered five of them)
    // and never reached the other twenty
    await testDb().broadcastRecipient.updateMany({ where: { broadcastId: id }, data: { status: "SENDING" } });
    for (const [i, r] of recipients.slice(0, 10).entries()) {
      await testDb().message.create({
        data: {
          tenantId: world.tenant.id,
          phoneNumberId: world.number.id,
          contactId: r.contactId!,
          direction: "OUTBOUND",
          type: "template",
          source: "broadcast",
          idempotencyKey: `broadcast:${id}:${r.id}:0`,
          status: i < 5 ? "ACCEPTED" : "PENDING",
          statusRank: i < 5 ? 1 : 0,
          wamid: i < 5 ? `wamid.dead-run-${i}` : null,
        },
      });
    }

    expect(await runChunk(chunk!)).toMatchObject({ state: "done" });
    const after = await testDb().broadcastRecipient.findMany({ where: { broadcastId: id }, orderBy: { seq: "asc" } });
    expect(after.slice(0, 5).every((r) => r.status === "SENT" && r.wamid?.startsWith("wamid.dead-run-"))).toBe(true);
    expect(after.slice(5, 10).every((r) => r.status === "UNKNOWN")).toBe(true);
    expect(after.slice(10).every((r) => r.status === "SENT")).toBe(true);
    const perRecipient = sentTo(world.phones);
    expect([...perRecipient.keys()].sort()).toEqual(
      world.phones
        .slice(10)
        .map((p) => p.replace("+", ""))
        .sort(),
    );
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("tenant isolation", () => {
  it("an owner cannot see, start or cancel another bakery's broadcast", async () => {
    const a = await bakeryWithContacts(3);
    const b = await bakeryWithContacts(3);
    const broadcast = await createBroadcast({ db: testDb(), tenantId: a.tenant.id, userId: null, input: draft() });
    const asB = callerAs(testDb(), b.owner);
    for (const attempt of [
      () => asB.broadcasts.progress({ broadcastId: broadcast.id }),
      () => asB.broadcasts.start({ broadcastId: broadcast.id }),
      () => asB.broadcasts.cancel({ broadcastId: broadcast.id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await asB.broadcasts.list()).map((x) => x.id)).not.toContain(broadcast.id);
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).status).toBe("DRAFT");
  });
});

describe("per-recipient report", () => {
  it("neutralises every cell a spreadsheet would run as a formula (OWASP CSV injection)", async () => {
    const world = await bakeryWithContacts(0);
    const names = [
      '=HYPERLINK("http://evil.example/x","Pulse aquí")',
      "+SUM(1,2)",
      "-2+3",
      "@cmd",
      "\t=1",
      "\r=1",
      '=1+1\n"multi"',
      "Marta",
    ];
    await testDb().contact.createMany({
      data: names.map((name, i) => ({ tenantId: world.tenant.id, phoneE164: phoneOf(500 + i), name, optedIn: true })),
    });
    const broadcastId = await started(world.tenant.id);
    const csv = await recipientReportCsv({ db: testDb(), tenantId: world.tenant.id, broadcastId });
    const rows = Papa.parse<string[]>(csv)
      .data.slice(1)
      .filter((r) => r.length > 1);
    expect(rows.map((r) => r[2]).sort()).toEqual([...names.slice(0, 7).map((n) => `'${n}`), "Marta"].sort());
    // no cell of the file starts a formula; phones are E.164 and begin with "+", so they are neutralised too
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.map((r) => r[1])).toContain(`'${phoneOf(500)}`);
  });
});
