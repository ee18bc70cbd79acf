/**
 * End to end over real HTTP: the simulator delivers signed webhooks to a node:http receiver; the receiver's
 * raw bytes verify with verifyWebhookSignature and flatten into the expected items.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "@/meta-simulator/control-client";
import { customerWaba, defaultPhoneNumbers, defaultTemplates, masterWaba, simulatorDefaults } from "@/meta-simulator/defaults";
import { createMetaSimulator, type MetaSimulator } from "@/meta-simulator/server";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "@/meta-simulator/test-receiver";
import { createGraphClient, type GraphClient } from "@/server/whatsapp/client";
import { flattenWebhookBatch, parseWebhookPayload, type WebhookItem } from "@/server/whatsapp/webhook-payload";
import { verifyWebhookSignature } from "@/server/whatsapp/webhook-signature";

const appSecret = "webhook-test-secret";
const { platform, customer } = defaultPhoneNumbers;

let sim: MetaSimulator;
let control: SimulatorControl;
let graph: GraphClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = createMetaSimulator({
    appSecret,
    statusDelaysMs: { sent: 5, delivered: 5, read: 5 },
    webhookRetry: { maxAttempts: 3, baseDelayMs: 5 },
  });
  const { url } = await sim.listen(0);
  control = simulatorControl(url);
  graph = createGraphClient({ baseUrl: url, apiVersion: "v25.0", accessToken: simulatorDefaults.masterAccessToken });
});
beforeEach(async () => {
  sim.reset();
  receiver = await startWebhookReceiver();
  await control.configure({ webhookUrl: receiver.url });
});
afterEach(() => receiver.close());
afterAll(() => sim.close());

/** Verifies every received body over its raw bytes, then flattens it. */
function itemsOf(received: ReceivedWebhook[]): WebhookItem[] {
  return received.flatMap((r) => {
    const header = r.headers["x-hub-signature-256"];
    expect(verifyWebhookSignature(new Uint8Array(r.rawBody), typeof header === "string" ? header : null, appSecret)).toEqual({ ok: true });
    return flattenWebhookBatch(parseWebhookPayload(JSON.parse(r.rawBody.toString("utf8"))));
  });
}

const statusesOf = (items: WebhookItem[]) => items.filter((i) => i.kind === "status").map((i) => i.value.status);

const sendTemplate = (to = "34600999888") =>
  graph.sendTemplateMessage({
    phoneNumberId: platform.id,
    to,
    templateName: "po_notification",
    languageCode: "es",
    bodyParameters: ["A", "B", "C"],
  });

describe("status webhooks", () => {
  it("arrive sent → delivered → read, signed, with Meta's envelope", async () => {
    const sent = await sendTemplate();
    const received = await receiver.waitFor((r) => r.length >= 3);
    const items = itemsOf(received);
    expect(statusesOf(items)).toEqual(["sent", "delivered", "read"]);
    expect(items.map((i) => i.key)).toEqual([
      `status:${sent.messageId}:sent`,
      `status:${sent.messageId}:delivered`,
      `status:${sent.messageId}:read`,
    ]);
    expect(items[0]).toMatchObject({
      wabaId: masterWaba.id,
      phoneNumberId: platform.id,
      value: { recipientId: "34600999888", pricing: { category: "utility" } },
    });
    const body = received[0]?.json as { object: string; entry: { changes: { value: { metadata: unknown } }[] }[] };
    expect(body.object).toBe("whatsapp_business_account");
    expect(body.entry[0]?.changes[0]?.value.metadata).toEqual({ display_phone_number: "34612345678", phone_number_id: platform.id });
    expect(received[0]?.headers["content-type"]).toBe("application/json");
  });

  it("end in failed with 131026 for a recipient who is not on WhatsApp", async () => {
    await control.setRecipients(["34600000001"], false);
    const sent = await sendTemplate("34600000001");
    const items = itemsOf(await receiver.waitFor((r) => r.length >= 1));
    await sim.whenIdle();
    expect(receiver.received).toHaveLength(1);
    expect(items[0]).toMatchObject({ key: `status:${sent.messageId}:failed`, value: { status: "failed", errors: [{ code: 131026 }] } });
  });

  it("are delivered twice in duplicate mode, with the same keys", async () => {
    await control.configure({ webhookMode: "duplicate" });
    await sendTemplate();
    await sim.whenIdle();
    const items = itemsOf(receiver.received);
    expect(items).toHaveLength(6);
    expect(new Set(items.map((i) => i.key)).size).toBe(3);
    expect(receiver.received[0]?.rawBody.equals(receiver.received[1]?.rawBody ?? Buffer.alloc(0))).toBe(true);
  });

  it("arrive newest first in out-of-order mode", async () => {
    await control.configure({ webhookMode: "out_of_order" });
    await sendTemplate();
    await sim.whenIdle();
    expect(statusesOf(itemsOf(receiver.received))).toEqual(["read", "delivered", "sent"]);
  });

  it("are retried with backoff when the receiver fails, and the log shows it", async () => {
    receiver.respondWith(500, 503);
    await control.configure({ statusDelaysMs: { delivered: null } });
    await sendTemplate();
    await sim.whenIdle();
    expect(receiver.received).toHaveLength(3);
    const [delivery] = await control.webhooks();
    expect(delivery).toMatchObject({ state: "delivered", attempts: [{ httpStatus: 500 }, { httpStatus: 503 }, { httpStatus: 200 }] });
  });

  it("give up after the configured attempts", async () => {
    receiver.respondWith(500, 500, 500);
    await control.configure({ statusDelaysMs: { delivered: null } });
    await sendTemplate();
    await sim.whenIdle();
    expect(receiver.received).toHaveLength(3);
    expect((await control.webhooks())[0]).toMatchObject({ state: "failed" });
  });
});

describe("inbound messages", () => {
  it("deliver STOP with the sender's profile, and bytes escaped like Meta's", async () => {
    await control.inbound(platform.id, [
      { from: "34600111222", name: "José Pérez", text: "STOP" },
      { from: "34600333444", name: "Ana", text: "Pedido 12/3: ¿llega hoy?" },
    ]);
    const [webhook] = await receiver.waitFor((r) => r.length >= 1);
    const raw = webhook?.rawBody.toString("utf8") ?? "";
    expect(raw).toContain("Jos\\u00e9 P\\u00e9rez");
    expect(raw).toContain("12\\/3");
    expect(raw).not.toBe(JSON.stringify(JSON.parse(raw)));
    const items = itemsOf(receiver.received);
    expect(items.map((i) => (i.kind === "message" ? [i.value.text, i.value.contact?.name, i.value.contact?.waId] : null))).toEqual([
      ["STOP", "José Pérez", "34600111222"],
      ["Pedido 12/3: ¿llega hoy?", "Ana", "34600333444"],
    ]);
    expect(items[0]?.key).toMatch(/^message:wamid\./);
  });

  it("open the customer service window for a free-form reply", async () => {
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    await expect(graph.sendTextMessage({ phoneNumberId: platform.id, to: "34600111222", body: "¡Hola!" })).resolves.toBeDefined();
  });

  it("are not delivered for an account the app is not subscribed to", async () => {
    const { delivery } = await control.inbound(customer.id, { from: "34600111222", text: "Hola" });
    expect(delivery).toMatchObject({ state: "skipped", skippedReason: expect.stringContaining(customerWaba.id) });
    await graph.subscribeApp(customerWaba.id);
    await control.inbound(customer.id, { from: "34600111222", text: "Hola otra vez" });
    await receiver.waitFor((r) => r.length >= 1);
    expect(itemsOf(receiver.received)[0]).toMatchObject({ wabaId: customerWaba.id, phoneNumberId: customer.id });
  });
});

describe("account-level webhooks", () => {
  it("template status, quality and account updates", async () => {
    await control.setTemplateStatus({ templateId: defaultTemplates.poNotificationEs.id, event: "PAUSED" });
    await control.setTemplateStatus({ name: "hello_world", language: "en_US", event: "REJECTED", reason: "PROMOTIONAL" });
    // current_limit left Meta's payload in February 2026; the simulator sends it only when asked, for this parser check.
    await control.qualityUpdate({ phoneNumberId: platform.id, event: "THROUGHPUT_UPGRADE", currentLimit: "TIER_UNLIMITED" });
    await control.accountUpdate({ event: "ACCOUNT_RESTRICTION" });
    await sim.whenIdle();
    const items = itemsOf(receiver.received).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(items.map((i) => [i.kind, i.value])).toEqual([
      [
        "account_update",
        {
          event: "ACCOUNT_RESTRICTION",
          details: { restrictionInfo: [expect.objectContaining({ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING" })] },
        },
      ],
      [
        "quality_update",
        expect.objectContaining({ displayPhoneNumber: "34612345678", event: "THROUGHPUT_UPGRADE", currentLimit: "TIER_UNLIMITED" }),
      ],
      [
        "template_status",
        expect.objectContaining({
          event: "PAUSED",
          templateId: defaultTemplates.poNotificationEs.id,
          templateName: "po_notification",
          language: "es",
        }),
      ],
      ["template_status", expect.objectContaining({ event: "REJECTED", templateName: "hello_world", reason: "PROMOTIONAL" })],
    ]);
    // and the state follows: the paused template can no longer be sent, the number is now HIGH throughput
    await expect(sendTemplate()).rejects.toMatchObject({ metaCode: 132015 });
    expect((await graph.getPhoneNumber(platform.id, ["throughput"])).throughput).toEqual({ level: "HIGH" });
  });

  it("a created template is approved after the review delay, with a webhook", async () => {
    await control.configure({ templateReviewMs: 5 });
    const created = await graph.createMessageTemplate({
      wabaId: masterWaba.id,
      name: "pickup_ready",
      language: "es",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Listo {{1}}" }],
    });
    await sim.whenIdle();
    expect(itemsOf(receiver.received)[0]).toMatchObject({ kind: "template_status", value: { event: "APPROVED", templateId: created.id } });
    expect((await graph.listMessageTemplates(masterWaba.id, { status: "APPROVED" })).map((t) => t.name)).toContain("pickup_ready");
  });
});

describe("custom batches", () => {
  it("several entries and changes in one signed POST, all flattened", async () => {
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: masterWaba.id,
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "34612345678", phone_number_id: platform.id },
                statuses: [
                  { id: "wamid.A", status: "delivered", timestamp: "1750000000", recipient_id: "34600000001" },
                  { id: "wamid.B", status: "read", timestamp: "1750000001", recipient_id: "34600000002" },
                ],
              },
            },
            {
              field: "message_template_status_update",
              value: {
                event: "APPROVED",
                message_template_id: 1,
                message_template_name: "x",
                message_template_language: "es",
                reason: "NONE",
              },
            },
          ],
        },
        { id: customerWaba.id, time: 1750000100, changes: [{ field: "account_update", value: { event: "PARTNER_ADDED" } }] },
      ],
    };
    await control.sendBatch({ payload });
    const [webhook] = await receiver.waitFor((r) => r.length >= 1);
    expect(receiver.received).toHaveLength(1);
    expect(itemsOf([webhook!]).map((i) => i.key.split(":")[0])).toEqual([
      "status",
      "status",
      "message_template_status_update",
      "account_update",
    ]);
  });

  it("raw bytes are signed exactly as given", async () => {
    const rawBody = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":{"u":"\\u00f1 \\/"}}]}]}';
    await control.sendBatch({ rawBody });
    const [webhook] = await receiver.waitFor((r) => r.length >= 1);
    expect(webhook?.rawBody.toString("utf8")).toBe(rawBody);
    expect(itemsOf([webhook!])[0]?.value).toEqual({ u: "ñ /" });
  });
});
