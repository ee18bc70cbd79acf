/**
 * Scheduled broadcasts on real Postgres: typed in the bakery's time zone, moved and cancelled until they start,
 * started by the scheduled-broadcasts job once the (moved) clock reaches them, never before, never twice.
 */
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { scheduledBroadcastsJob } from "@/server/broadcasts/jobs";
import { cancelBroadcast, createBroadcast, startDueBroadcasts, type BroadcastDraftInput } from "@/server/broadcasts/lifecycle";
import { jobDefinitions } from "@/server/wiring";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { instantOf, wallTimeOf } from "@/lib/zoned-time";
import { testDb } from "@/test/db";
import { callerAs, createTenantWithOwner } from "@/test/fixtures";
import { makeSendable } from "@/test/broadcast-world";
import { createContactRow } from "@/test/messaging-world";

const hour = 3_600_000;

async function bakery({ timeZone = "Europe/Madrid", contacts = 2 } = {}) {
  const { tenant, owner } = await createTenantWithOwner(testDb());
  await testDb().tenant.update({ where: { id: tenant.id }, data: { timeZone } });
  await makeSendable(testDb(), tenant.id);
  for (let i = 0; i < contacts; i++) await createContactRow(testDb(), tenant.id, { name: `Cliente ${i}` });
  return { tenant, owner, caller: callerAs(testDb(), owner) };
}

const draft = (schedule?: BroadcastDraftInput["schedule"]) =>
  ({
    name: "Roscón de Reyes",
    templateName: "po_notification",
    parameters: [
      { kind: "field" as const, field: "name" as const },
      { kind: "fixed" as const, value: "RR-6" },
      { kind: "fixed" as const, value: "18 €" },
    ],
    audience: { kind: "all" as const },
    ...(schedule ? { schedule } : {}),
  }) satisfies BroadcastDraftInput;

/** The wall date and time `ms` from now in the zone (rounded down to the minute). */
const wallIn = (ms: number, zone: string) => wallTimeOf(new Date(Date.now() + ms), zone);

describe("scheduled broadcasts", () => {
  it("reads the date and time in the bakery's time zone, not the server's", async () => {
    const madrid = await bakery();
    const canary = await bakery({ timeZone: "Atlantic/Canary" });
    const wall = wallIn(3 * hour, "Europe/Madrid");
    const a = await madrid.caller.broadcasts.create(draft(wall));
    const b = await canary.caller.broadcasts.create(draft(wall));
    expect(a.scheduledAt).toEqual(instantOf(wall, "Europe/Madrid"));
    // the same 09:00 is an hour later on the Canaries
    expect(b.scheduledAt!.getTime() - a.scheduledAt!.getTime()).toBe(hour);
    expect(a.status).toBe("DRAFT");
  });

  it("refuses a time in the past, one that does not exist (clocks go forward) and one too far ahead, naming the field", async () => {
    const { caller } = await bakery();
    await expect(caller.broadcasts.create(draft(wallIn(-hour, "Europe/Madrid")))).rejects.toMatchObject({
      message: expect.stringContaining("at least a minute from now"),
    });
    await expect(caller.broadcasts.create(draft({ date: "2027-03-28", time: "02:30" }))).rejects.toMatchObject({
      message: expect.stringContaining("do not exist in Europe/Madrid"),
    });
    await expect(caller.broadcasts.create(draft(wallIn(200 * 24 * hour, "Europe/Madrid")))).rejects.toMatchObject({
      message: expect.stringContaining("90 days"),
    });
    await expect(caller.broadcasts.create(draft({ date: "24/12/2026", time: "9:00" }))).rejects.toMatchObject({
      message: expect.stringContaining("YYYY-MM-DD"),
    });
    expect(await testDb().broadcast.count({ where: { tenantId: (await caller.account.me()).tenant!.id } })).toBe(0);
  });

  it("starts nothing before its time and starts it once the clock reaches it, once", async () => {
    const { tenant, caller } = await bakery({ contacts: 3 });
    const created = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    const at = created.scheduledAt!;

    await startDueBroadcasts({ db: testDb(), now: new Date(at.getTime() - 60_000) });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("DRAFT");

    const run = await startDueBroadcasts({ db: testDb(), now: at });
    expect(run.results).toContainEqual({ broadcastId: created.id, started: true });
    const started = await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } });
    expect(started).toMatchObject({ status: "SENDING", total: 3 });
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: created.id } })).toBe(3);
    const audit = await testDb().auditLog.findFirst({ where: { targetId: created.id, action: "broadcast.start" } });
    expect(audit?.actorLabel).toBe("system");

    // a later minute (or a second job run) changes nothing
    await startDueBroadcasts({ db: testDb(), now: new Date(at.getTime() + 60_000) });
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: created.id } })).toBe(3);
    expect(await testDb().jobOutbox.count({ where: { id: `broadcast-started:${created.id}` } })).toBe(1);
    expect(tenant.id).toBe(started.tenantId);
  });

  it("can be moved and cancelled until it starts, and not after", async () => {
    const { caller } = await bakery();
    const created = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    const later = wallIn(5 * hour, "Europe/Madrid");
    const moved = await caller.broadcasts.reschedule({ broadcastId: created.id, schedule: later });
    expect(moved.scheduledAt).toEqual(instantOf(later, "Europe/Madrid"));

    // the old time passes: nothing starts; the new time: it starts
    await startDueBroadcasts({ db: testDb(), now: new Date(created.scheduledAt!.getTime() + 60_000) });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("DRAFT");
    await startDueBroadcasts({ db: testDb(), now: moved.scheduledAt });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("SENDING");
    await expect(caller.broadcasts.reschedule({ broadcastId: created.id, schedule: later })).rejects.toMatchObject({
      message: expect.stringContaining("already started"),
    });

    const other = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    await caller.broadcasts.cancel({ broadcastId: other.id });
    await startDueBroadcasts({ db: testDb(), now: new Date(other.scheduledAt!.getTime() + hour) });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("CANCELLED");
    expect(await testDb().broadcastRecipient.count({ where: { broadcastId: other.id } })).toBe(0);
  });

  it("a start refused at its time takes it off the schedule with the reason, instead of retrying every minute", async () => {
    const { tenant, caller } = await bakery();
    const created = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    await testDb().contact.updateMany({ where: { tenantId: tenant.id }, data: { optedIn: false } });
    const run = await startDueBroadcasts({ db: testDb(), now: created.scheduledAt! });
    expect(run.results).toContainEqual({ broadcastId: created.id, refused: "VALIDATION_FAILED" });
    expect(await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      status: "DRAFT",
      scheduledAt: null,
      stoppedReason: "scheduled_start_refused:VALIDATION_FAILED",
    });
  });

  it("is started by a cron job listed in the wiring, which runs the same code through Inngest", async () => {
    expect(jobDefinitions.map((j) => j.id)).toContain("scheduled-broadcasts");
    expect(scheduledBroadcastsJob.trigger).toEqual({ kind: "cron", cron: "* * * * *" });
    const { tenant } = await bakery();
    // a broadcast whose time has just passed (written directly: the API refuses past times)
    const created = await createBroadcast({ db: testDb(), tenantId: tenant.id, userId: null, input: draft() });
    await testDb().broadcast.update({ where: { id: created.id }, data: { scheduledAt: new Date(Date.now() - 1000) } });
    const t = new InngestTestEngine({ function: inngestFunctionFor(scheduledBroadcastsJob) });
    const { result } = await t.execute();
    expect((result as { results: unknown[] }).results).toContainEqual({ broadcastId: created.id, started: true });
    await cancelBroadcast({ db: testDb(), tenantId: tenant.id, broadcastId: created.id });
  });
});
