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

  it("an owner can change a scheduled draft's name, template, blanks, audience and time until it starts, audited", async () => {
    const { tenant, caller } = await bakery({ contacts: 3 });
    await testDb().contact.updateMany({ where: { tenantId: tenant.id, name: "Cliente 0" }, data: { tags: ["vip"] } });
    const created = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    const later = wallIn(6 * hour, "Europe/Madrid");
    const edited = await caller.broadcasts.update({
      broadcastId: created.id,
      draft: {
        ...draft(later),
        name: "Roscón para clientes VIP",
        parameters: [
          { kind: "fixed", value: "Horno" },
          { kind: "fixed", value: "RR-7" },
          { kind: "fixed", value: "20 €" },
        ],
        audience: { kind: "tag", tag: "vip" },
      },
    });
    expect(edited.scheduledAt).toEqual(instantOf(later, "Europe/Madrid"));
    const saved = await caller.broadcasts.draft({ broadcastId: created.id });
    expect(saved).toMatchObject({
      name: "Roscón para clientes VIP",
      templateName: "po_notification",
      audience: { kind: "tag", tag: "vip" },
      parameters: [{ value: "Horno" }, { value: "RR-7" }, { value: "20 €" }],
      schedule: later,
    });
    const audit = await testDb().auditLog.findFirstOrThrow({ where: { targetId: created.id, action: "broadcast.edit" } });
    expect(audit.before).toMatchObject({ name: "Roscón de Reyes", audience: { kind: "all" } });
    expect(audit.after).toMatchObject({ name: "Roscón para clientes VIP", audience: { kind: "tag", tag: "vip" } });

    // the same checks as creating: an unknown template and a past time are refused and change nothing
    await expect(
      caller.broadcasts.update({ broadcastId: created.id, draft: { ...draft(later), templateName: "no_such_template" } }),
    ).rejects.toMatchObject({ message: expect.stringContaining("no_such_template") });
    await expect(caller.broadcasts.update({ broadcastId: created.id, draft: draft(wallIn(-hour, "Europe/Madrid")) })).rejects.toMatchObject(
      {
        message: expect.stringContaining("at least a minute from now"),
      },
    );
    expect((await caller.broadcasts.draft({ broadcastId: created.id })).name).toBe("Roscón para clientes VIP");

    // at its (new) time it starts with the edited audience: one tagged contact
    await startDueBroadcasts({ db: testDb(), now: edited.scheduledAt! });
    expect(await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "SENDING", total: 1 });
  });

  it("refuses to edit a broadcast once it has started or was cancelled, and another bakery's broadcast", async () => {
    const { caller } = await bakery();
    const created = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    await startDueBroadcasts({ db: testDb(), now: created.scheduledAt! });
    await expect(caller.broadcasts.update({ broadcastId: created.id, draft: { ...draft(), name: "Tarde" } })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already started"),
    });
    const cancelled = await caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    await caller.broadcasts.cancel({ broadcastId: cancelled.id });
    await expect(caller.broadcasts.update({ broadcastId: cancelled.id, draft: draft() })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: created.id } })).name).toBe("Roscón de Reyes");

    const other = await bakery();
    const theirs = await other.caller.broadcasts.create(draft(wallIn(2 * hour, "Europe/Madrid")));
    await expect(caller.broadcasts.update({ broadcastId: theirs.id, draft: { ...draft(), name: "Mío" } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(caller.broadcasts.draft({ broadcastId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await testDb().broadcast.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe("Roscón de Reyes");
    expect(await testDb().auditLog.count({ where: { targetId: theirs.id, action: "broadcast.edit" } })).toBe(0);
  });

  it("the owner sets the bakery's time zone in Settings (audited); a later schedule is read in it; an unknown zone is refused", async () => {
    const { tenant, caller } = await bakery();
    const saved = await caller.settings.updateTimeZone({ timeZone: "Atlantic/Canary" });
    expect(saved.timeZone).toBe("Atlantic/Canary");
    const audit = await testDb().auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "tenant.time_zone_updated" } });
    expect(audit).toMatchObject({ before: { timeZone: "Europe/Madrid" }, after: { timeZone: "Atlantic/Canary" } });
    const wall = wallIn(3 * hour, "Atlantic/Canary");
    const created = await caller.broadcasts.create(draft(wall));
    expect(created.scheduledAt).toEqual(instantOf(wall, "Atlantic/Canary"));

    await expect(caller.settings.updateTimeZone({ timeZone: "Mars/Olympus_Mons" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await testDb().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).timeZone).toBe("Atlantic/Canary");
  });
});
