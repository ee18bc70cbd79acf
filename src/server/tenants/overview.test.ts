/** The owner's overview: last week's messages by how far they got, and broadcasts Recado stopped (the owner's alert). */
import { describe, expect, it } from "vitest";
import { testDb } from "@/test/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";
import { createContactRow } from "@/test/messaging-world";

async function bakeryWithMessages(statuses: string[], { daysAgo = 0 } = {}) {
  const { tenant, owner } = await createTenantWithOwner(testDb());
  await addMessages(tenant.id, statuses, daysAgo);
  return { tenant, owner };
}

async function addMessages(tenantId: string, statuses: string[], daysAgo = 0) {
  const contact = await createContactRow(testDb(), tenantId);
  await testDb().message.createMany({
    data: statuses.map((status) => ({
      tenantId,
      contactId: contact.id,
      direction: "OUTBOUND" as const,
      type: "template",
      source: "broadcast",
      status: status as never,
      createdAt: new Date(Date.now() - daysAgo * 24 * 3600 * 1000),
    })),
  });
}

describe("bakery overview", () => {
  it("counts only this bakery's outbound messages of the last seven days, by how far they got", async () => {
    const a = await bakeryWithMessages(["READ", "READ", "DELIVERED", "SENT", "ACCEPTED", "PENDING", "FAILED"]);
    await addMessages(a.tenant.id, ["READ", "FAILED"], 8); // older than a week
    await bakeryWithMessages(["FAILED", "FAILED", "READ"]); // another bakery

    const overview = await callerAs(testDb(), a.owner).bakery.overview();
    expect(overview.lastDays).toEqual({ days: 7, total: 7, onTheWay: 3, delivered: 1, read: 2, failed: 1 });
    expect(overview.stoppedBroadcasts).toEqual([]);
  });

  it("alerts the owner of a broadcast Recado stopped, and only that bakery's owner", async () => {
    const a = await bakeryWithMessages([]);
    const b = await bakeryWithMessages([]);
    await testDb().broadcast.create({
      data: {
        tenantId: a.tenant.id,
        name: "Oferta",
        templateName: "po_notification",
        templateLanguage: "es",
        parameterSources: [],
        audience: { kind: "all" },
        status: "STOPPED",
        stoppedReason: "TOKEN_EXPIRED: Error validating access token",
        finishedAt: new Date(),
      },
    });

    const forA = await callerAs(testDb(), a.owner).bakery.overview();
    expect(forA.stoppedBroadcasts).toMatchObject([{ name: "Oferta", stoppedReason: "TOKEN_EXPIRED: Error validating access token" }]);
    expect((await callerAs(testDb(), b.owner).bakery.overview()).stoppedBroadcasts).toEqual([]);
  });

  it("the admin's delivery health counts every bakery's messages of the week", async () => {
    const admin = await createAdmin(testDb());
    const before = (await callerAs(testDb(), admin).admin.stats()).lastDays;
    await bakeryWithMessages(["READ", "FAILED"]);
    await bakeryWithMessages(["DELIVERED", "SENT"]);
    const after = (await callerAs(testDb(), admin).admin.stats()).lastDays;
    expect({
      total: after.total - before.total,
      read: after.read - before.read,
      delivered: after.delivered - before.delivered,
      onTheWay: after.onTheWay - before.onTheWay,
      failed: after.failed - before.failed,
    }).toEqual({ total: 4, read: 1, delivered: 1, onTheWay: 1, failed: 1 });
  });

  it("the admin sees the processing backlog: webhook items not applied yet and jobs due, with the oldest of each", async () => {
    const admin = await createAdmin(testDb());
    const longAgo = new Date("2001-02-03T04:05:06.000Z"); // older than anything other tests store: it is the oldest
    const event = await testDb().webhookEvent.create({
      data: { bodySha256: `backlog-${Date.now()}`, object: "whatsapp_business_account", payload: {}, itemCount: 1 },
    });
    const item = await testDb().webhookItem.create({
      data: { eventId: event.id, key: `backlog-${event.id}`, field: "messages", kind: "status", payload: {}, createdAt: longAgo },
    });
    const job = await testDb().jobOutbox.create({
      data: { id: `backlog-${event.id}`, name: "probe/backlog", data: {}, nextAttemptAt: longAgo },
    });
    try {
      const { backlog } = await callerAs(testDb(), admin).admin.stats();
      expect(backlog.webhookItems).toBeGreaterThanOrEqual(1);
      expect(backlog.jobsDue).toBeGreaterThanOrEqual(1);
      expect(backlog.jobsWaiting).toBeGreaterThanOrEqual(backlog.jobsDue);
      expect(backlog.oldestWebhookItemAt).toBe(longAgo.toISOString());
      expect(backlog.oldestJobDueAt).toBe(longAgo.toISOString());
    } finally {
      await testDb().webhookItem.delete({ where: { id: item.id } });
      await testDb().webhookEvent.delete({ where: { id: event.id } });
      await testDb().jobOutbox.delete({ where: { id: job.id } });
    }
  });
});
