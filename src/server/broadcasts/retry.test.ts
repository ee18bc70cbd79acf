/**
 * "Retry failed recipients" on real Postgres: a finished broadcast whose recipients failed for every kind of
 * reason, and who the retry sends to — only the temporary failures — and who not.
 */
import { describe, expect, it } from "vitest";
import { createBroadcast } from "@/server/broadcasts/lifecycle";
import { engagementRetryAfterMs, retryVerdict, type FailedRecipient } from "@/server/broadcasts/retry";
import { testDb } from "@/test/db";
import { callerAs, createTenantWithOwner } from "@/test/fixtures";
import { makeSendable } from "@/test/broadcast-world";
import { createContactRow } from "@/test/messaging-world";

const hour = 3_600_000;

type Case = {
  label: string;
  /** how the recipient failed: refused when sent (recipient FAILED) or reported failed later by webhook */
  failed: "at_send" | "by_webhook" | "interrupted" | "not_failed";
  metaCode?: number;
  appErrorCode?: string;
  failedAgoMs?: number;
  contact?: { optedIn?: boolean; notOnWhatsApp?: boolean };
  retried: boolean;
};

const cases: Case[] = [
  { label: "Meta temporary error 131000", failed: "at_send", metaCode: 131000, appErrorCode: "META_UNAVAILABLE", retried: true },
  {
    label: "service unavailable 131016 by webhook",
    failed: "by_webhook",
    metaCode: 131016,
    appErrorCode: "META_UNAVAILABLE",
    retried: true,
  },
  { label: "throughput limit 130429", failed: "at_send", metaCode: 130429, appErrorCode: "RATE_LIMIT_EXCEEDED", retried: true },
  { label: "pair rate limit 131056", failed: "at_send", metaCode: 131056, appErrorCode: "RATE_LIMIT_EXCEEDED", retried: true },
  { label: "maintenance 131057", failed: "at_send", metaCode: 131057, appErrorCode: "META_UNAVAILABLE", retried: true },
  { label: "network failure (no Meta code)", failed: "at_send", appErrorCode: "META_UNAVAILABLE", retried: true },
  {
    label: "131049 a day and more ago",
    failed: "by_webhook",
    metaCode: 131049,
    appErrorCode: "META_ERROR",
    failedAgoMs: 25 * hour,
    retried: true,
  },
  {
    label: "131049 an hour ago (too soon)",
    failed: "by_webhook",
    metaCode: 131049,
    appErrorCode: "META_ERROR",
    failedAgoMs: hour,
    retried: false,
  },
  { label: "not on WhatsApp 131026", failed: "by_webhook", metaCode: 131026, appErrorCode: "RECIPIENT_NOT_ON_WHATSAPP", retried: false },
  {
    label: "opted out since (temporary error before)",
    failed: "at_send",
    metaCode: 131000,
    appErrorCode: "META_UNAVAILABLE",
    contact: { optedIn: false },
    retried: false,
  },
  {
    label: "flagged not on WhatsApp since",
    failed: "at_send",
    metaCode: 131000,
    appErrorCode: "META_UNAVAILABLE",
    contact: { notOnWhatsApp: true },
    retried: false,
  },
  { label: "refused by Recado: not opted in", failed: "at_send", appErrorCode: "CONTACT_NOT_OPTED_IN", retried: false },
  { label: "refused by Recado's policy (unknown code)", failed: "at_send", appErrorCode: "POLICY_REFUSED", retried: false },
  { label: "template problem 132001", failed: "at_send", metaCode: 132001, appErrorCode: "TEMPLATE_NOT_FOUND", retried: false },
  { label: "stopped marketing 131050", failed: "by_webhook", metaCode: 131050, appErrorCode: "META_ERROR", retried: false },
  { label: "interrupted mid-send (may have arrived)", failed: "interrupted", retried: false },
  { label: "delivered", failed: "not_failed", retried: false },
];

async function finishedBroadcastWith(list: Case[]) {
  const { tenant, owner } = await createTenantWithOwner(testDb());
  await makeSendable(testDb(), tenant.id);
  const broadcast = await createBroadcast({
    db: testDb(),
    tenantId: tenant.id,
    userId: owner.id,
    input: {
      name: "Oferta de Navidad",
      templateName: "po_notification",
      parameters: [
        { kind: "field", field: "name" },
        { kind: "fixed", value: "NAV-1" },
        { kind: "fixed", value: "10 €" },
      ],
      audience: { kind: "all" },
    },
  });
  const now = Date.now();
  const contactOf = new Map<string, string>();
  for (const [i, c] of list.entries()) {
    const contact = await createContactRow(testDb(), tenant.id, {
      name: c.label,
      optedIn: c.contact?.optedIn ?? true,
      ...(c.contact?.notOnWhatsApp ? { notOnWhatsAppAt: new Date() } : {}),
    });
    contactOf.set(c.label, contact.id);
    const failedAt = new Date(now - (c.failedAgoMs ?? 10 * 60_000));
    const message = await testDb().message.create({
      data: {
        tenantId: tenant.id,
        contactId: contact.id,
        direction: "OUTBOUND",
        type: "template",
        templateName: "po_notification",
        source: "broadcast",
        wamid: c.failed === "by_webhook" || c.failed === "not_failed" ? `wamid.retry-${broadcast.id}-${i}` : null,
        status: c.failed === "not_failed" ? "DELIVERED" : c.failed === "interrupted" ? "PENDING" : "FAILED",
        errorCode: c.metaCode ?? null,
        appErrorCode: c.failed === "interrupted" || c.failed === "not_failed" ? null : (c.appErrorCode ?? null),
        statusAt: failedAt,
      },
    });
    await testDb().broadcastRecipient.create({
      data: {
        broadcastId: broadcast.id,
        seq: i + 1,
        contactId: contact.id,
        phoneE164: contact.phoneE164,
        name: c.label,
        parameters: [c.label, "NAV-1", "10 €"],
        status: c.failed === "at_send" ? "FAILED" : c.failed === "interrupted" ? "UNKNOWN" : "SENT",
        messageId: message.id,
        errorCode: c.failed === "at_send" ? (c.metaCode ?? null) : null,
        appErrorCode: c.failed === "at_send" ? (c.appErrorCode ?? null) : null,
        attemptedAt: failedAt,
      },
    });
  }
  await testDb().broadcast.update({
    where: { id: broadcast.id },
    data: { status: "COMPLETED", total: list.length, startedAt: new Date(now - 26 * hour), finishedAt: new Date(now - 25 * hour) },
  });
  return { tenant, owner, broadcastId: broadcast.id, contactOf, caller: callerAs(testDb(), owner) };
}

describe("retry failed recipients", () => {
  it("sends again only to those who failed for a temporary reason; never the opted out, not on WhatsApp or refused", async () => {
    const world = await finishedBroadcastWith(cases);
    const plan = await world.caller.broadcasts.retryPlan({ broadcastId: world.broadcastId });
    const retried = cases.filter((c) => c.retried);
    expect(plan).toMatchObject({ finished: true, failed: cases.length - 1, retryNow: retried.length, retryLater: 1, activeRetryId: null });
    expect(plan.notRetried).toEqual({
      not_on_whatsapp: 2,
      opted_out: 2,
      refused_by_policy: 1,
      permanent_error: 1,
      marketing_stopped: 1,
      interrupted: 1,
    });
    // the 131049 of an hour ago can be retried 24 h after it failed
    expect(Math.abs(plan.laterFrom!.getTime() - (Date.now() - hour + engagementRetryAfterMs))).toBeLessThan(60_000);

    const started = await world.caller.broadcasts.retryFailed({ broadcastId: world.broadcastId, name: "Reintento: Oferta de Navidad" });
    expect(started).toMatchObject({ status: "SENDING", total: retried.length });
    const retry = await testDb().broadcast.findUniqueOrThrow({ where: { id: started.id }, include: { recipients: true } });
    expect(retry).toMatchObject({ retryOfId: world.broadcastId, templateName: "po_notification", name: "Reintento: Oferta de Navidad" });
    expect(retry.recipients.map((r) => r.name).sort()).toEqual(retried.map((c) => c.label).sort());
    // the same blanks, rendered for each person again
    expect(retry.recipients.find((r) => r.name === retried[0]!.label)?.parameters).toEqual([retried[0]!.label, "NAV-1", "10 €"]);

    // one retry at a time, and nobody already retried is sent again by a second retry
    await expect(world.caller.broadcasts.retryFailed({ broadcastId: world.broadcastId, name: "Otra vez" })).rejects.toMatchObject({
      message: expect.stringContaining("already under way"),
    });
    await testDb().broadcast.update({ where: { id: started.id }, data: { status: "COMPLETED" } });
    const again = await world.caller.broadcasts.retryPlan({ broadcastId: world.broadcastId });
    expect(again).toMatchObject({ retryNow: 0, notRetried: expect.objectContaining({ already_retried: retried.length }) });
    await expect(world.caller.broadcasts.retryFailed({ broadcastId: world.broadcastId, name: "Otra vez" })).rejects.toMatchObject({
      message: "No failed recipient of this broadcast can be retried now.",
    });
    expect(await testDb().broadcast.count({ where: { retryOfId: world.broadcastId } })).toBe(1);
  });

  it("waits for a broadcast that is still sending", async () => {
    const world = await finishedBroadcastWith(cases.slice(0, 1));
    await testDb().broadcast.update({ where: { id: world.broadcastId }, data: { status: "SENDING" } });
    await expect(world.caller.broadcasts.retryFailed({ broadcastId: world.broadcastId, name: "Reintento" })).rejects.toMatchObject({
      message: expect.stringContaining("still sending"),
    });
    expect(await testDb().broadcast.count({ where: { retryOfId: world.broadcastId } })).toBe(0);
  });

  it("judges 131049 by the time it failed (moved clock)", () => {
    const failedAt = new Date("2026-12-01T10:00:00Z");
    const failed: FailedRecipient = {
      recipientStatus: "SENT",
      metaCode: 131049,
      appErrorCode: "META_ERROR",
      failedAt,
      contact: { optedIn: true, notOnWhatsApp: false, erased: false },
      alreadyRetried: false,
    };
    expect(retryVerdict(failed, new Date("2026-12-02T09:59:00Z"))).toEqual({ verdict: "later", from: new Date("2026-12-02T10:00:00Z") });
    expect(retryVerdict(failed, new Date("2026-12-02T10:00:00Z"))).toEqual({ verdict: "retry" });
    expect(retryVerdict({ ...failed, contact: null }, new Date("2026-12-03T00:00:00Z"))).toEqual({
      verdict: "never",
      reason: "contact_gone",
    });
  });
});
