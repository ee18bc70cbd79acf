/**
 * The 2025–2026 platform over real HTTP: business-scoped user ids and username users, per-message pricing,
 * marketing limits and preferences, the portfolio messaging limit, the throughput upgrade's maintenance window,
 * template category/quality webhooks, the 2026 quality-update payload, health_status and template nodes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "./control-client";
import { defaultPhoneNumbers, defaultTemplates, masterWaba, simulatorDefaults } from "./defaults";
import { createMetaSimulator, type MetaSimulator } from "./server";
import { startWebhookReceiver } from "./test-receiver";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers and webhooks are read field by field in assertions
type Json = Record<string, any>;

const { platform, support } = defaultPhoneNumbers;
const auth = { authorization: `Bearer ${simulatorDefaults.masterAccessToken}` };
const day = 24 * 60 * 60 * 1000;

let sim: MetaSimulator;
let url: string;
let control: SimulatorControl;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let now = Date.UTC(2026, 8, 1, 9, 0, 0);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sim = createMetaSimulator({ statusDelaysMs: { sent: 1, delivered: 1, read: null }, now: () => now });
  ({ url } = await sim.listen(0));
  control = simulatorControl(url);
});
beforeEach(async () => {
  sim.reset();
  receiver.received.length = 0;
  await control.configure({ webhookUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

async function graph(path: string, init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${url}/v25.0${path}`, {
    method: init.method ?? "GET",
    headers: { ...auth, ...(init.json !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const send = (fromPhoneId: string, message: Json) =>
  graph(`/${fromPhoneId}/messages`, { method: "POST", json: { messaging_product: "whatsapp", ...message } });
const template = (name: string, language: string) => ({ type: "template", template: { name, language: { code: language } } });
const text = (body: string) => ({ type: "text", text: { body } });

/** Every change of the given field received so far (after the simulator went idle). */
async function changes(field: string): Promise<Json[]> {
  await sim.whenIdle();
  return receiver.received.flatMap((r) =>
    (r.json as Json).entry.flatMap((e: Json) => e.changes.filter((c: Json) => c.field === field).map((c: Json) => c.value)),
  );
}

async function statusesOf(messageId: string): Promise<Json[]> {
  return (await changes("messages")).flatMap((v) => (v.statuses ?? []).filter((s: Json) => s.id === messageId));
}

async function marketingTemplate() {
  await control.createTemplate({
    name: "weekend_offer",
    language: "es",
    category: "MARKETING",
    bodyText: "Este finde, 2x1 en croissants.",
  });
}

describe("business-scoped user ids (BSUIDs)", () => {
  it("a username user arrives without a phone number and is answered through `recipient`", async () => {
    await control.inbound(platform.id, { username: "ana.bakes", name: "Ana", text: "¿Tenéis pan sin gluten?" });
    const [inbound = {}] = await changes("messages");
    const [message] = inbound.messages;
    const [contact] = inbound.contacts;
    expect(message.from).toBeUndefined();
    expect(message.from_user_id).toMatch(/^US\.\d{20}$/);
    expect(contact).toEqual({ profile: { name: "Ana", username: "ana.bakes" }, user_id: message.from_user_id });

    const reply = await send(platform.id, { recipient: message.from_user_id, ...text("Sí, cada mañana.") });
    expect(reply.status).toBe(200);
    expect(reply.body.contacts).toEqual([{ input: message.from_user_id, user_id: message.from_user_id }]);
    const statuses = await statusesOf(reply.body.messages[0].id);
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered"]);
    for (const status of statuses) {
      expect(status.recipient_user_id).toBe(message.from_user_id);
      expect(status).not.toHaveProperty("recipient_id");
    }
  });

  it("a phone user carries both ids everywhere, and the same BSUID on every number of the business", async () => {
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    await control.inbound(support.id, { from: "34600111222", text: "Hola otra vez" });
    const values = await changes("messages");
    const [first, second] = values.map((v) => v.messages[0]);
    expect(first.from).toBe("34600111222");
    expect(first.from_user_id).toMatch(/^ES\.\d{20}$/);
    expect(second.from_user_id).toBe(first.from_user_id);
    expect(values[0]?.contacts).toEqual([{ profile: { name: "Simulated Customer" }, wa_id: "34600111222", user_id: first.from_user_id }]);

    const sent = await send(platform.id, { to: "+34 600 111 222", ...text("¡Buenas!") });
    expect(sent.body.contacts).toEqual([{ input: "+34 600 111 222", wa_id: "34600111222" }]);
    const [status] = await statusesOf(sent.body.messages[0].id);
    expect(status).toMatchObject({ recipient_id: "34600111222", recipient_user_id: first.from_user_id });
  });

  it("`to` wins over `recipient`; a malformed BSUID, no addressee or an unknown BSUID are refused", async () => {
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    const both = await send(platform.id, { to: "34600111222", recipient: "US.99999999999999999999", ...text("hola") });
    expect(both.body.contacts).toEqual([{ input: "34600111222", wa_id: "34600111222" }]);

    const malformed = await send(platform.id, { recipient: "not-a-bsuid", ...template("hello_world", "en_US") });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 131009, error_data: { details: expect.stringContaining("recipient") } });
    const nobody = await send(platform.id, template("hello_world", "en_US"));
    expect(nobody.body.error.code).toBe(131008);

    const unknown = await send(platform.id, { recipient: "ES.12345678901234567890", ...template("hello_world", "en_US") });
    expect(unknown.status).toBe(200);
    const statuses = await statusesOf(unknown.body.messages[0].id);
    expect(statuses).toEqual([expect.objectContaining({ status: "failed", recipient_user_id: "ES.12345678901234567890" })]);
    expect(statuses[0]?.errors[0].code).toBe(131026);
  });
});

describe("per-message pricing", () => {
  it("prices each message by Meta's current rules", async () => {
    await marketingTemplate();
    const utilityOutside = await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") });
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    const utilityInside = await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") });
    const marketingInside = await send(platform.id, { to: "34600111222", ...template("weekend_offer", "es") });
    const service = await send(platform.id, { to: "34600111222", ...text("¿Algo más?") });
    await control.inbound(support.id, { from: "34600333444", text: "Vengo del anuncio", entryPoint: true });
    const entryPoint = await send(support.id, { to: "34600333444", ...template("weekend_offer", "es") });

    const pricingOf = async (response: { body: Json }) => {
      const statuses = await statusesOf(response.body.messages[0].id);
      expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered"]);
      expect(statuses[1]?.pricing).toEqual(statuses[0]?.pricing);
      return statuses[0]?.pricing;
    };
    expect(await pricingOf(utilityOutside)).toEqual({ billable: true, pricing_model: "PMP", category: "utility", type: "regular" });
    expect(await pricingOf(utilityInside)).toEqual({
      billable: false,
      pricing_model: "PMP",
      category: "utility",
      type: "free_customer_service",
    });
    expect(await pricingOf(marketingInside)).toEqual({ billable: true, pricing_model: "PMP", category: "marketing", type: "regular" });
    expect(await pricingOf(service)).toEqual({ billable: false, pricing_model: "PMP", category: "service", type: "free_customer_service" });
    expect(await pricingOf(entryPoint)).toEqual({
      billable: false,
      pricing_model: "PMP",
      category: "marketing",
      type: "free_entry_point",
    });
    const [organic, adMessage] = (await changes("messages")).flatMap((v) => v.messages ?? []);
    expect(organic).not.toHaveProperty("referral");
    expect(adMessage?.referral).toMatchObject({ source_type: "ad", ctwa_clid: expect.any(String) });

    // the free entry point window lasts 72 h
    now += 3 * day;
    const later = await send(support.id, { to: "34600333444", ...template("weekend_offer", "es") });
    expect((await pricingOf(later)).type).toBe("regular");
  });
});

describe("marketing limits", () => {
  it("131049 for a user Meta limits, and for the configured share of repeat marketing within 24 h", async () => {
    await marketingTemplate();
    await control.setMarketingLimited({ from: "34600111222", limited: true });
    const limited = await send(platform.id, { to: "34600111222", ...template("weekend_offer", "es") });
    expect(limited.status).toBe(200);
    const [failed] = await statusesOf(limited.body.messages[0].id);
    expect(failed).toMatchObject({ status: "failed", errors: [expect.objectContaining({ code: 131049 })] });
    expect(failed).not.toHaveProperty("pricing");
    const utility = await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") });
    expect((await statusesOf(utility.body.messages[0].id)).map((s) => s.status)).toEqual(["sent", "delivered"]);

    await control.configure({ marketingLimitShare: 1 });
    const first = await send(platform.id, { to: "34600555666", ...template("weekend_offer", "es") });
    const second = await send(support.id, { to: "34600555666", ...template("weekend_offer", "es") });
    now += day;
    const nextDay = await send(platform.id, { to: "34600555666", ...template("weekend_offer", "es") });
    expect((await statusesOf(first.body.messages[0].id)).map((s) => s.status)).toEqual(["sent", "delivered"]);
    expect((await statusesOf(second.body.messages[0].id))[0]?.errors[0].code).toBe(131049);
    expect((await statusesOf(nextDay.body.messages[0].id)).map((s) => s.status)).toEqual(["sent", "delivered"]);
  });

  it("user_preferences stop → 131050 on marketing while utility goes; resume → marketing goes", async () => {
    await marketingTemplate();
    await control.setMarketingPreference({ phoneNumberId: platform.id, from: "34600111222", value: "stop" });
    const [preference] = await changes("user_preferences");
    expect(preference).toEqual({
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "34612345678", phone_number_id: platform.id },
      contacts: [{ profile: { name: "Simulated Customer" }, wa_id: "34600111222", user_id: expect.stringMatching(/^ES\./) }],
      user_preferences: [
        {
          wa_id: "34600111222",
          user_id: expect.stringMatching(/^ES\./),
          detail: "User requested to stop marketing messages",
          category: "marketing_messages",
          value: "stop",
          timestamp: Math.floor(now / 1000),
        },
      ],
    });

    const marketing = await send(support.id, { to: "34600111222", ...template("weekend_offer", "es") });
    const utility = await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") });
    expect((await statusesOf(marketing.body.messages[0].id))[0]?.errors[0]).toMatchObject({ code: 131050 });
    expect((await statusesOf(utility.body.messages[0].id)).map((s) => s.status)).toEqual(["sent", "delivered"]);

    await control.setMarketingPreference({ phoneNumberId: platform.id, from: "34600111222", value: "resume" });
    expect((await changes("user_preferences"))[1]?.user_preferences[0]).toMatchObject({
      value: "resume",
      detail: "User requested to resume marketing messages",
    });
    const again = await send(platform.id, { to: "34600111222", ...template("weekend_offer", "es") });
    expect((await statusesOf(again.body.messages[0].id)).map((s) => s.status)).toEqual(["sent", "delivered"]);
  });
});

describe("portfolio messaging limit", () => {
  it("one rolling 24 h quota of users reached with business-initiated messages, shared by every number of the account", async () => {
    await control.configure({ portfolioMessagingLimit: 2 });
    expect((await send(platform.id, { to: "34600000001", ...template("hello_world", "en_US") })).status).toBe(200);
    now += 60 * 60 * 1000;
    expect((await send(support.id, { to: "34600000002", ...template("hello_world", "en_US") })).status).toBe(200);

    const third = await send(platform.id, { to: "34600000003", ...template("hello_world", "en_US") });
    expect(third.status).toBe(400);
    expect(third.body.error).toMatchObject({ code: 131000, error_data: { details: expect.stringContaining("messaging limit (2 users") } });
    // a user already reached today does not count again, from any number
    expect((await send(support.id, { to: "34600000001", ...template("hello_world", "en_US") })).status).toBe(200);
    // a template inside an open customer-service window is not business-initiated
    await control.inbound(platform.id, { from: "34600000004", text: "Hola" });
    expect((await send(platform.id, { to: "34600000004", ...template("hello_world", "en_US") })).status).toBe(200);
    expect(await control.portfolioLimit(masterWaba.id)).toEqual({ wabaId: masterWaba.id, limit: 2, used: 2 });

    // rolling: the first user leaves the window 24 h after they were reached
    now += day - 60 * 60 * 1000;
    expect((await send(platform.id, { to: "34600000003", ...template("hello_world", "en_US") })).status).toBe(200);
    expect((await control.portfolioLimit()).used).toBe(2);
  });
});

describe("throughput upgrade", () => {
  it("answers 131057 during the upgrade, then the number is HIGH and the 2026 quality update arrives", async () => {
    await control.startThroughputUpgrade(platform.id, 5 * 60 * 1000);
    const during = await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") });
    expect(during.status).toBe(400);
    expect(during.body.error).toMatchObject({ code: 131057, message: "(#131057) Account in maintenance mode" });
    expect((await send(support.id, { to: "34600111222", ...template("hello_world", "en_US") })).status).toBe(200);

    now += 5 * 60 * 1000;
    expect((await send(platform.id, { to: "34600111222", ...template("hello_world", "en_US") })).status).toBe(200);
    expect((await graph(`/${platform.id}?fields=throughput`)).body.throughput).toEqual({ level: "HIGH" });
    expect(await changes("phone_number_quality_update")).toEqual([
      { display_phone_number: "34612345678", event: "THROUGHPUT_UPGRADE", max_daily_conversations_per_business: "TIER_UNLIMITED" },
    ]);
  });

  it("phone_number_quality_update carries no current_limit / old_limit unless asked for the old shape", async () => {
    await control.qualityUpdate({ phoneNumberId: support.id, event: "ONBOARDING" });
    await control.qualityUpdate({ phoneNumberId: support.id, event: "ONBOARDING", currentLimit: "TIER_10K", oldLimit: "TIER_2K" });
    expect(await changes("phone_number_quality_update")).toEqual([
      { display_phone_number: "34612345679", event: "ONBOARDING", max_daily_conversations_per_business: "TIER_2K" },
      {
        display_phone_number: "34612345679",
        event: "ONBOARDING",
        old_limit: "TIER_2K",
        current_limit: "TIER_10K",
        max_daily_conversations_per_business: "TIER_10K",
      },
    ]);
  });
});

describe("templates and health", () => {
  it("template_category_update and message_template_quality_update, applied to the template", async () => {
    const { poNotificationEs } = defaultTemplates;
    await control.setTemplateCategory({ templateId: poNotificationEs.id, newCategory: "MARKETING" });
    await control.setTemplateQuality({ name: "po_notification", language: "es", newQualityScore: "RED" });
    expect(await changes("template_category_update")).toEqual([
      {
        message_template_id: Number(poNotificationEs.id),
        message_template_name: "po_notification",
        message_template_language: "es",
        previous_category: "UTILITY",
        new_category: "MARKETING",
      },
    ]);
    expect(await changes("message_template_quality_update")).toEqual([
      {
        previous_quality_score: "GREEN",
        new_quality_score: "RED",
        message_template_id: Number(poNotificationEs.id),
        message_template_name: "po_notification",
        message_template_language: "es",
      },
    ]);
    const node = await graph(`/${poNotificationEs.id}?fields=category,quality_score,health_status`);
    expect(node.body).toMatchObject({ id: poNotificationEs.id, category: "MARKETING", quality_score: { score: "RED" } });
    expect(node.body.health_status.can_send_message).toBe("LIMITED");
    expect(node.body.health_status.entities.map((e: Json) => e.entity_type)).toEqual(["MESSAGE_TEMPLATE", "WABA", "BUSINESS", "APP"]);
    // re-categorised, the template is now priced as marketing
    const sent = await send(platform.id, {
      to: "34600111222",
      type: "template",
      template: {
        name: "po_notification",
        language: { code: "es" },
        components: [{ type: "body", parameters: ["a", "b", "c"].map((t) => ({ type: "text", text: t })) }],
      },
    });
    expect((await statusesOf(sent.body.messages[0].id))[0]?.pricing.category).toBe("marketing");
  });

  it("GET and DELETE of a template node, DELETE by name on the account, health_status on the account", async () => {
    const { helloWorld, poNotificationEs, poNotificationEn } = defaultTemplates;
    const node = await graph(`/${helloWorld.id}`);
    expect(node.body).toMatchObject({ id: helloWorld.id, name: "hello_world", language: "en_US", status: "APPROVED" });
    expect((await graph(`/${helloWorld.id}?fields=health_status`)).body.health_status.can_send_message).toBe("AVAILABLE");
    expect((await graph(`/${helloWorld.id}`, { method: "DELETE" })).body).toEqual({ success: true });
    expect((await graph(`/${helloWorld.id}`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });

    const missing = await graph(`/${masterWaba.id}/message_templates?name=nope`, { method: "DELETE" });
    expect(missing.body.error.code).toBe(100);
    const byName = await graph(`/${masterWaba.id}/message_templates?name=po_notification&hsm_id=${poNotificationEn.id}`, {
      method: "DELETE",
    });
    expect(byName.body).toEqual({ success: true });
    const left = await graph(`/${masterWaba.id}/message_templates`);
    expect(left.body.data.map((t: Json) => t.id)).toEqual([poNotificationEs.id]);

    const account = await graph(`/${masterWaba.id}?fields=health_status`);
    expect(account.body.health_status).toEqual({
      can_send_message: "AVAILABLE",
      entities: [
        { entity_type: "WABA", id: masterWaba.id, can_send_message: "AVAILABLE" },
        { entity_type: "BUSINESS", id: simulatorDefaults.businessId, can_send_message: "AVAILABLE" },
        { entity_type: "APP", id: simulatorDefaults.appId, can_send_message: "AVAILABLE", can_receive_call_sip: "AVAILABLE" },
      ],
    });
  });
});
