/**
 * Status and inbound webhooks: duplicated, reordered and concurrent status deliveries converge with one history
 * row per status; STOP (in any of its spellings) opts out once and confirms once.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, inject, it } from "vitest";
import { createMetaSimulator } from "@/meta-simulator/server";
import { simulatorControl } from "@/meta-simulator/control-client";
import type { Db } from "@/server/db";
import { handleInboundMessage, keywordOf } from "@/server/messaging/inbound";
import { applyStatusUpdate, applyStatusUpdates } from "@/server/messaging/webhook-status";
import { processWebhookItems } from "@/server/webhooks/process";
import { webhookHandlers } from "@/server/wiring";
import { receiveWebhook } from "@/server/webhooks/receive";
import { testDb } from "@/test/db";
import { createContactRow, createSendingTenant, resetSharedSimulatorAfterAll } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

async function outboundMessage(db: Db, tenantId: string, contactId: string, wamid = `wamid.test-${randomUUID()}`) {
  return db.message.create({
    data: {
      tenantId,
      contactId,
      direction: "OUTBOUND",
      type: "template",
      templateName: "po_notification",
      source: "test",
      wamid,
      status: "ACCEPTED",
      statusRank: 1,
    },
  });
}

const update = (wamid: string, status: string, timestamp: number, errors: { code: number; title?: string }[] = []) => ({
  messageId: wamid,
  status,
  timestamp,
  errors,
});

describe("status webhooks", () => {
  it("duplicates and reordering never move a message backwards and leave one history row per status", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const message = await outboundMessage(db, tenant.id, contact.id);
    const t = 1_780_000_000;
    for (const [status, at] of [
      ["read", t + 3],
      ["sent", t + 1],
      ["read", t + 3],
      ["delivered", t + 2],
      ["delivered", t + 2],
      ["sent", t + 1],
    ] as const) {
      await applyStatusUpdate({ db, update: update(message.wamid!, status, at) });
    }
    const after = await db.message.findUniqueOrThrow({
      where: { id: message.id },
      include: { statusEvents: { orderBy: { occurredAt: "asc" } } },
    });
    expect(after.status).toBe("READ");
    expect(after.statusAt.getTime()).toBe((t + 3) * 1000);
    expect(after.statusEvents.map((e) => e.status)).toEqual(["SENT", "DELIVERED", "READ"]);
  });

  it("one batch of duplicated, reordered statuses, applied in one statement, ends where one-by-one application does", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const [toRead, sentThenFailed, deliveredThenFailed, readThenFailed] = await Promise.all(
      Array.from({ length: 4 }, () => outboundMessage(db, tenant.id, contact.id)),
    );
    const t = 1_780_000_200;
    const failure = [{ code: 131000, title: "Something went wrong" }];
    const results = await applyStatusUpdates({
      db,
      updates: [
        update(toRead!.wamid!, "read", t + 3),
        update(toRead!.wamid!, "sent", t + 1),
        update(toRead!.wamid!, "read", t + 3),
        update(toRead!.wamid!, "delivered", t + 2),
        update(sentThenFailed!.wamid!, "failed", t + 2, failure),
        update(sentThenFailed!.wamid!, "sent", t + 1),
        update(deliveredThenFailed!.wamid!, "failed", t + 4, failure),
        update(deliveredThenFailed!.wamid!, "delivered", t + 1),
        update(readThenFailed!.wamid!, "read", t + 2),
        update(readThenFailed!.wamid!, "failed", t + 5, failure),
        update("wamid.not-ours", "sent", t),
      ],
    });
    expect(results.map((r) => r.found)).toEqual([true, true, true, true, true, true, true, true, true, true, false]);
    // the duplicate "read" is recorded once
    expect(results.filter((r, i) => i < 4 && r.recorded)).toHaveLength(3);
    const after = async (id: string) =>
      db.message.findUniqueOrThrow({ where: { id }, include: { statusEvents: { orderBy: { occurredAt: "asc" } } } });
    const read = await after(toRead!.id);
    expect(read.status).toBe("READ");
    expect(read.statusAt.getTime()).toBe((t + 3) * 1000);
    expect(read.statusEvents.map((e) => e.status)).toEqual(["SENT", "DELIVERED", "READ"]);
    expect(await after(sentThenFailed!.id)).toMatchObject({ status: "FAILED", errorCode: 131000, appErrorCode: expect.any(String) });
    const delivered = await after(deliveredThenFailed!.id);
    expect(delivered).toMatchObject({ status: "DELIVERED", errorCode: null });
    expect(delivered.statusEvents.map((e) => e.status)).toEqual(["DELIVERED", "FAILED"]);
    expect(await after(readThenFailed!.id)).toMatchObject({ status: "READ", errorCode: null });

    // the same batch again (Meta retries a delivery) changes nothing and records nothing
    const again = await applyStatusUpdates({
      db,
      updates: [update(toRead!.wamid!, "delivered", t + 2), update(readThenFailed!.wamid!, "failed", t + 5)],
    });
    expect(again).toEqual([
      { found: true, recorded: false, moved: false },
      { found: true, recorded: false, moved: false },
    ]);
  });

  it("a status whose wamid is not stored yet links it through the callback data, in a batch too", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const pending = await db.message.create({
      data: { tenantId: tenant.id, contactId: contact.id, direction: "OUTBOUND", type: "template", source: "test", status: "PENDING" },
    });
    const wamid = `wamid.early-${randomUUID()}`;
    const results = await applyStatusUpdates({
      db,
      updates: [
        { ...update(wamid, "sent", 1_780_000_301), bizOpaqueCallbackData: pending.id },
        { ...update(wamid, "delivered", 1_780_000_302), bizOpaqueCallbackData: pending.id },
      ],
    });
    expect(results.every((r) => r.found && r.recorded)).toBe(true);
    const after = await db.message.findUniqueOrThrow({ where: { id: pending.id }, include: { statusEvents: true } });
    expect(after).toMatchObject({ wamid, status: "DELIVERED" });
    expect(after.statusEvents.map((e) => e.status).sort()).toEqual(["DELIVERED", "SENT"]);
  });

  it("concurrent batches with overlapping statuses converge to read with one history row per status", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const messages = await Promise.all(Array.from({ length: 20 }, () => outboundMessage(db, tenant.id, contact.id)));
    const t = 1_780_000_400;
    const orders = [
      ["read", "sent", "failed"],
      ["delivered", "read"],
      ["sent", "delivered", "sent"],
      ["failed", "delivered"],
    ];
    await Promise.all(
      orders.map((statuses) =>
        applyStatusUpdates({
          db,
          updates: messages.flatMap((m) =>
            statuses.map((s) =>
              update(m.wamid!, s, t + ["sent", "delivered", "read", "failed"].indexOf(s), s === "failed" ? [{ code: 131000 }] : []),
            ),
          ),
        }),
      ),
    );
    for (const m of messages) {
      const after = await db.message.findUniqueOrThrow({ where: { id: m.id }, include: { statusEvents: true } });
      expect(after.status).toBe("READ");
      expect(after.statusEvents.map((e) => e.status).sort()).toEqual(["DELIVERED", "FAILED", "READ", "SENT"]);
    }
  });

  it("concurrent deliveries of every status converge to read with three history rows", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const messages = await Promise.all(Array.from({ length: 10 }, () => outboundMessage(db, tenant.id, contact.id)));
    const t = 1_780_000_000;
    await Promise.all(
      messages.flatMap((m) => [
        ...["sent", "delivered", "read", "delivered", "sent", "read"].map((s, i) =>
          applyStatusUpdate({ db, update: update(m.wamid!, s, t + i) }),
        ),
      ]),
    );
    for (const m of messages) {
      const after = await db.message.findUniqueOrThrow({ where: { id: m.id }, include: { statusEvents: true } });
      expect(after.status).toBe("READ");
      expect(after.statusEvents.map((e) => e.status).sort()).toEqual(["DELIVERED", "READ", "SENT"]);
    }
  });

  it("failed keeps Meta's error; 131026 flags the contact; a status of a message that is not ours is ignored", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const message = await outboundMessage(db, tenant.id, contact.id);
    await applyStatusUpdate({ db, update: update(message.wamid!, "sent", 1_780_000_001) });
    await applyStatusUpdate({
      db,
      update: update(message.wamid!, "failed", 1_780_000_002, [{ code: 131026, title: "Message undeliverable" }]),
    });
    await applyStatusUpdate({ db, update: update(message.wamid!, "delivered", 1_780_000_003) });
    const after = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(after).toMatchObject({
      status: "FAILED",
      errorCode: 131026,
      errorTitle: "Message undeliverable",
      appErrorCode: "RECIPIENT_NOT_ON_WHATSAPP",
    });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).notOnWhatsAppAt).toBeInstanceOf(Date);
    expect(await applyStatusUpdate({ db, update: update("wamid.unknown", "sent", 1) })).toEqual({
      found: false,
      recorded: false,
      moved: false,
    });
  });

  it("a failed that arrives after read or delivered is kept in the history but the message keeps its status", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const read = await outboundMessage(db, tenant.id, contact.id);
    const delivered = await outboundMessage(db, tenant.id, contact.id);
    const t = 1_780_000_100;
    await applyStatusUpdate({ db, update: update(read.wamid!, "read", t + 2) });
    await applyStatusUpdate({ db, update: update(read.wamid!, "failed", t + 5, [{ code: 131000, title: "Something went wrong" }]) });
    await applyStatusUpdate({ db, update: update(delivered.wamid!, "delivered", t + 1) });
    await applyStatusUpdate({ db, update: update(delivered.wamid!, "failed", t + 4, [{ code: 131000, title: "Something went wrong" }]) });

    const readAfter = await db.message.findUniqueOrThrow({
      where: { id: read.id },
      include: { statusEvents: { orderBy: { occurredAt: "asc" } } },
    });
    expect(readAfter).toMatchObject({ status: "READ", errorCode: null, appErrorCode: null });
    expect(readAfter.statusAt.getTime()).toBe((t + 2) * 1000);
    expect(readAfter.statusEvents.map((e) => [e.status, e.errorCode])).toEqual([
      ["READ", null],
      ["FAILED", 131000],
    ]);
    const deliveredAfter = await db.message.findUniqueOrThrow({
      where: { id: delivered.id },
      include: { statusEvents: { orderBy: { occurredAt: "asc" } } },
    });
    expect(deliveredAfter.status).toBe("DELIVERED");
    expect(deliveredAfter.statusEvents.map((e) => e.status)).toEqual(["DELIVERED", "FAILED"]);
  });

  it("a status that arrives before the send's answer was stored finds the message by its callback data", async () => {
    const db = testDb();
    const { tenant } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id);
    const pending = await db.message.create({
      data: { tenantId: tenant.id, contactId: contact.id, direction: "OUTBOUND", type: "text", source: "test", status: "PENDING" },
    });
    const result = await applyStatusUpdate({
      db,
      update: { ...update("wamid.early", "sent", 1_780_000_001), bizOpaqueCallbackData: pending.id },
    });
    expect(result).toMatchObject({ found: true, moved: true });
    expect(await db.message.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ wamid: "wamid.early", status: "SENT" });
  });

  for (const webhookMode of ["duplicate", "out_of_order"] as const) {
    it(`through the whole webhook path with the simulator in ${webhookMode} mode: ends read, one history row per status`, async () => {
      const db = testDb();
      const { tenant } = await createSendingTenant(db, simulatorUrl);
      const contact = await createContactRow(db, tenant.id);
      // a receiver that does what the route does: verify + store + process
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
          const result = await receiveWebhook({
            db,
            rawBody: Buffer.concat(chunks),
            signatureHeader: req.headers["x-hub-signature-256"] as string,
            appSecret: "own-secret",
            source: { ip: null, userAgent: null },
          });
          // processed before answering, so that "the simulator is idle" means "everything is applied"
          if (result.httpStatus === 200 && result.eventId)
            await processWebhookItems({ db, handlers: webhookHandlers, eventId: result.eventId });
          res.writeHead(result.httpStatus).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const sim = createMetaSimulator({
        appSecret: "own-secret",
        webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        webhookMode,
        statusDelaysMs: { sent: 5, delivered: 5, read: 5 },
      });
      const { url } = await sim.listen(0);
      try {
        // as the send service does: the row first, our id as callback data, the wamid after the answer
        const message = await db.message.create({
          data: { tenantId: tenant.id, contactId: contact.id, direction: "OUTBOUND", type: "template", source: "test", status: "PENDING" },
        });
        const response = await fetch(`${url}/v25.0/106540352242922/messages`, {
          method: "POST",
          headers: { authorization: "Bearer sim-master-token", "content-type": "application/json" },
          body: JSON.stringify({
            messaging_product: "whatsapp",
            to: contact.phoneE164,
            type: "template",
            template: { name: "hello_world", language: { code: "en_US" } },
            biz_opaque_callback_data: message.id,
          }),
        });
        const wamid = ((await response.json()) as { messages: { id: string }[] }).messages[0]!.id;
        await db.$executeRaw`UPDATE "messages" SET "wamid" = ${wamid}, "status" = 'ACCEPTED', "statusRank" = 1 WHERE "id" = ${message.id} AND "statusRank" < 1`;
        await sim.whenIdle();
        await simulatorControl(url).flush();
        const after = await db.message.findUniqueOrThrow({ where: { id: message.id }, include: { statusEvents: true } });
        expect(after.status).toBe("READ");
        expect(after.statusEvents.map((e) => e.status).sort()).toEqual(["DELIVERED", "READ", "SENT"]);
      } finally {
        await sim.close();
        await new Promise((r) => server.close(r));
      }
    });
  }
});

describe("inbound messages and STOP", () => {
  it("recognises STOP and its localized forms without case or accents", () => {
    for (const text of ["STOP", "stop", " Baja ", "PARAR!", "atura", "Gelditu", "DÉTER", "bája."])
      expect(["STOP", "BAJA", "PARAR", "ATURA", "GELDITU", "DETER"]).toContain(keywordOf(text));
    expect(keywordOf("stop sending me the promo?")).toBe("STOP SENDING ME THE PROMO");
  });

  it("stores an inbound message against the contact and opens the 24-hour window", async () => {
    const db = testDb();
    const { tenant, number } = await createSendingTenant(db, simulatorUrl);
    const at = Math.floor(Date.now() / 1000);
    const result = await handleInboundMessage({
      db,
      metaPhoneNumberId: number.metaPhoneNumberId,
      message: {
        messageId: `wamid.in-${randomUUID()}`,
        from: "34655000111",
        timestamp: at,
        type: "text",
        text: "¿Tenéis pan de centeno?",
        errors: [],
        contact: { name: "Lucía" },
      },
    });
    expect(result.stored).toBe(true);
    const contact = await db.contact.findUniqueOrThrow({
      where: { tenantId_phoneE164: { tenantId: tenant.id, phoneE164: "+34655000111" } },
    });
    expect(contact).toMatchObject({ name: "Lucía", optedIn: false });
    expect(contact.lastInboundAt?.getTime()).toBe(at * 1000);
    expect(await db.message.findFirst({ where: { contactId: contact.id, direction: "INBOUND" } })).toMatchObject({
      body: "¿Tenéis pan de centeno?",
      status: "RECEIVED",
    });
  });

  it("STOP twice, and the same STOP delivered concurrently: one opt-out, one confirmation", async () => {
    const db = testDb();
    const { tenant, number, control } = await createSendingTenant(db, simulatorUrl);
    const contact = await createContactRow(db, tenant.id, { optedIn: true });
    const from = contact.phoneE164.slice(1);
    await control.inbound(number.metaPhoneNumberId, { from, text: "STOP" }); // Meta's side: the window opens
    const stop = {
      messageId: `wamid.stop-${randomUUID()}`,
      from,
      timestamp: Math.floor(Date.now() / 1000),
      type: "text",
      text: "Stop",
      errors: [],
    };
    const concurrently = await Promise.all(
      [1, 2, 3].map(() => handleInboundMessage({ db, metaPhoneNumberId: number.metaPhoneNumberId, message: stop })),
    );
    expect(concurrently.filter((r) => "optedOut" in r && r.optedOut)).toHaveLength(1);
    const second = await handleInboundMessage({
      db,
      metaPhoneNumberId: number.metaPhoneNumberId,
      message: { ...stop, messageId: `wamid.stop-${randomUUID()}`, text: "BAJA" },
    });
    expect(second).toMatchObject({ optedOut: false });

    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({ optedIn: false, consentSource: "webhook_stop" });
    expect(await db.consentRecord.count({ where: { contactId: contact.id, optedIn: false } })).toBe(1);
    const confirmations = (await control.messages({ phoneNumberId: number.metaPhoneNumberId })).filter(
      (m) => m.to === contact.phoneE164 || m.waId === from,
    );
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.text).toContain("ALTA");
    expect(await db.message.count({ where: { contactId: contact.id, direction: "INBOUND" } })).toBe(2);
    expect(await db.message.count({ where: { contactId: contact.id, direction: "OUTBOUND", source: "system" } })).toBe(1);
  });
});
