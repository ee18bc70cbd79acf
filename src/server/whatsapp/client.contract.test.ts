/**
 * Contract: the client parses every documented shape the simulator answers with (real HTTP, no mocked fetch).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "@/meta-simulator/control-client";
import { customerWaba, defaultPhoneNumbers, defaultPin, masterWaba, simulatorDefaults } from "@/meta-simulator/defaults";
import { createMetaSimulator, type MetaSimulator } from "@/meta-simulator/server";
import { createGraphClient, type GraphClient } from "@/server/whatsapp/client";
import { phoneNumberFields } from "@/server/whatsapp/schemas";

const { platform, notifications, pending, customer } = defaultPhoneNumbers;

let sim: MetaSimulator;
let control: SimulatorControl;
let graph: GraphClient;

beforeAll(async () => {
  // No status webhooks here: the webhook tests cover them.
  sim = createMetaSimulator({ statusDelaysMs: { sent: null }, webhookUrl: null });
  const { url } = await sim.listen(0);
  control = simulatorControl(url);
  graph = createGraphClient({
    baseUrl: url,
    apiVersion: "v25.0",
    accessToken: simulatorDefaults.masterAccessToken,
    retry: { baseDelayMs: 5 },
  });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe("phone numbers", () => {
  it("parses the default node shape (Meta: business-phone-numbers/phone-numbers)", async () => {
    const info = await graph.getPhoneNumber(platform.id);
    expect(info).toEqual({
      id: platform.id,
      displayPhoneNumber: "+34 612 345 678",
      verifiedName: "Bakery Platform",
      codeVerificationStatus: "VERIFIED",
      qualityRating: "GREEN",
      platformType: "CLOUD_API",
      throughput: { level: "STANDARD" },
      webhookConfiguration: {},
    });
  });

  it("parses every field when asked for all of them", async () => {
    const info = await graph.getPhoneNumber(notifications.id, phoneNumberFields);
    expect(info).toMatchObject({
      id: notifications.id,
      displayPhoneNumber: "+34 612 345 680",
      verifiedName: "Bakery Notifications",
      codeVerificationStatus: "VERIFIED",
      nameStatus: "APPROVED",
      qualityRating: "YELLOW",
      qualityScore: "YELLOW",
      platformType: "CLOUD_API",
      throughput: { level: "STANDARD" },
      messagingLimitTier: "TIER_1K",
      messagingLimit: "TIER_2K",
      status: "CONNECTED",
      accountMode: "LIVE",
      isOfficialBusinessAccount: false,
      isPinEnabled: true,
      isOnBizApp: false,
      isPreverifiedNumber: false,
      searchVisibility: "VISIBLE",
      countryCode: "ES",
      countryDialCode: "34",
      healthStatus: { canSendMessage: "AVAILABLE" },
    });
    expect(info.lastOnboardedAt).toBeInstanceOf(Date);
    expect(info.healthStatus?.entities.map((e) => e.entityType)).toEqual(["PHONE_NUMBER", "WABA", "BUSINESS", "APP"]);
  });

  it("asks only for the selected fields, plus id", async () => {
    const info = await graph.getPhoneNumber(pending.id, ["name_status", "platform_type", "throughput", "quality_rating", "health_status"]);
    expect(info).toEqual({
      id: pending.id,
      nameStatus: "PENDING_REVIEW",
      platformType: "NOT_APPLICABLE",
      throughput: { level: "NOT_APPLICABLE" },
      // NA from Meta means "not rated yet"
      qualityRating: "UNRATED",
      healthStatus: expect.objectContaining({ canSendMessage: "BLOCKED" }),
    });
    expect(info.healthStatus?.entities[0]?.errors[0]?.code).toBe(133010);
  });

  it("lists every number of the account across pages", async () => {
    await control.clearRequestCounts();
    const numbers = await graph.listPhoneNumbers(masterWaba.id, {
      pageSize: 1,
      fields: ["display_phone_number", "verified_name", "quality_rating", "status"],
    });
    expect(numbers.map((n) => [n.displayPhoneNumber, n.verifiedName, n.qualityRating, n.status])).toEqual([
      ["+34 612 345 681", "Bakery Orders", "UNRATED", "PENDING"],
      ["+34 612 345 680", "Bakery Notifications", "YELLOW", "CONNECTED"],
      ["+34 612 345 679", "Bakery Support", "GREEN", "CONNECTED"],
      ["+34 612 345 678", "Bakery Platform", "GREEN", "CONNECTED"],
    ]);
    const { byPath } = await control.requestCounts();
    expect(byPath[`GET /${masterWaba.id}/phone_numbers`]).toBe(4);
  });

  it("registers and deregisters", async () => {
    await graph.registerPhoneNumber(customer.id, { pin: "424242", dataLocalizationRegion: "DE" });
    expect(await graph.getPhoneNumber(customer.id, ["platform_type", "throughput", "status", "is_pin_enabled"])).toEqual({
      id: customer.id,
      platformType: "CLOUD_API",
      throughput: { level: "STANDARD" },
      status: "CONNECTED",
      isPinEnabled: true,
      qualityRating: "UNRATED",
    });
    await graph.deregisterPhoneNumber(customer.id);
    expect(await graph.getPhoneNumber(customer.id, ["platform_type"])).toMatchObject({ platformType: "NOT_APPLICABLE" });
  });

  it("registers with HIGH throughput when the number has it", async () => {
    await control.updatePhoneNumber(customer.id, { throughput: "HIGH" });
    await graph.registerPhoneNumber(customer.id, { pin: "424242" });
    expect((await graph.getPhoneNumber(customer.id, ["throughput"])).throughput).toEqual({ level: "HIGH" });
  });
});

describe("subscribed apps", () => {
  it("subscribes, lists, sets an override and unsubscribes", async () => {
    expect(await graph.listSubscribedApps(customerWaba.id)).toEqual([]);
    await graph.subscribeApp(customerWaba.id);
    expect(await graph.listSubscribedApps(customerWaba.id)).toEqual([
      { appId: simulatorDefaults.appId, name: "Recado", link: `https://www.facebook.com/games/?app_id=${simulatorDefaults.appId}` },
    ]);
    await graph.subscribeApp(customerWaba.id, { overrideCallbackUri: "https://example.test/alt", verifyToken: "verify-me" });
    expect((await graph.listSubscribedApps(customerWaba.id))[0]?.overrideCallbackUri).toBe("https://example.test/alt");
    await graph.unsubscribeApp(customerWaba.id);
    expect(await graph.listSubscribedApps(customerWaba.id)).toEqual([]);
  });
});

describe("Embedded Signup tokens", () => {
  const app = { appId: simulatorDefaults.appId, appSecret: simulatorDefaults.appSecret };

  it("exchanges a code, inspects the token and uses it on the customer's account only", async () => {
    const { code } = await control.createOAuthCode({ wabaId: customerWaba.id, phoneNumberId: customer.id });
    const exchanged = await graph.exchangeCodeForToken({ ...app, code });
    expect(exchanged.tokenType).toBe("bearer");
    expect(exchanged.accessToken.length).toBeGreaterThan(20);

    const info = await graph.debugToken(exchanged.accessToken, app);
    expect(info).toMatchObject({
      isValid: true,
      appId: simulatorDefaults.appId,
      type: "SYSTEM_USER",
      expiresAt: null,
      scopes: ["whatsapp_business_management", "whatsapp_business_messaging"],
      granularScopes: [
        { scope: "whatsapp_business_management", targetIds: [customerWaba.id] },
        { scope: "whatsapp_business_messaging", targetIds: [customerWaba.id] },
      ],
    });

    const tenant = graph.withToken(exchanged.accessToken);
    expect((await tenant.getPhoneNumber(customer.id)).verifiedName).toBe("Panadería Goiko");
    await expect(tenant.getPhoneNumber(platform.id)).rejects.toMatchObject({ metaCode: 100, metaSubcode: 33 });
  });

  it("reports an invalid input token as an answer, not an exception", async () => {
    const info = await graph.debugToken("EAAG-not-a-real-token", app);
    expect(info).toMatchObject({ isValid: false, scopes: [], error: { code: 190 } });
  });

  it("debugs with the client's own token when no app credentials are given", async () => {
    const info = await graph.debugToken(simulatorDefaults.masterAccessToken);
    expect(info.isValid).toBe(true);
    expect(info.granularScopes.find((g) => g.scope === "whatsapp_business_management")?.targetIds).toContain(masterWaba.id);
  });
});

describe("messages", () => {
  it("sends a text inside the customer service window", async () => {
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    const sent = await graph.sendTextMessage({
      phoneNumberId: platform.id,
      to: "+34 600 111 222",
      body: "¡Hola! ¿Qué tal?",
      previewUrl: false,
    });
    expect(sent.messageId).toMatch(/^wamid\./);
    expect(sent).toMatchObject({ waId: "34600111222", input: "+34 600 111 222" });
    expect(sent.messageStatus).toBeUndefined();
  });

  it("sends the po_notification template with three body parameters", async () => {
    const sent = await graph.sendTemplateMessage({
      phoneNumberId: platform.id,
      to: "34600999888",
      templateName: "po_notification",
      languageCode: "es",
      bodyParameters: ["Harinas del Norte", "PO-2024-0042", "125,50 €"],
      bizOpaqueCallbackData: "po:42",
    });
    expect(sent).toMatchObject({ waId: "34600999888", messageStatus: "accepted" });
    const [recorded] = await control.messages({ to: "34600999888" });
    expect(recorded).toMatchObject({
      id: sent.messageId,
      type: "template",
      template: { name: "po_notification", language: "es", bodyParameters: ["Harinas del Norte", "PO-2024-0042", "125,50 €"] },
      bizOpaqueCallbackData: "po:42",
    });
  });

  it("marks an inbound message read", async () => {
    const { messageIds } = await control.inbound(platform.id, { from: "34600111222", text: "¿Abrís mañana?" });
    await expect(graph.markMessageRead(platform.id, messageIds[0] ?? "")).resolves.toBeUndefined();
  });
});

describe("templates", () => {
  it("lists every template across pages, with their body parameters", async () => {
    const templates = await graph.listMessageTemplates(masterWaba.id, { pageSize: 1 });
    expect(templates.map((t) => [t.name, t.language, t.status, t.category, t.bodyParameters])).toEqual([
      ["po_notification", "es", "APPROVED", "UTILITY", ["1", "2", "3"]],
      ["po_notification", "en", "APPROVED", "UTILITY", ["1", "2", "3"]],
      ["hello_world", "en_US", "APPROVED", "UTILITY", []],
    ]);
    expect(templates[0]).toMatchObject({
      parameterFormat: "POSITIONAL",
      components: [{ type: "BODY", text: expect.stringContaining("{{1}}") }],
    });
  });

  it("creates a template (PENDING) and filters by status", async () => {
    const created = await graph.createMessageTemplate({
      wabaId: masterWaba.id,
      name: "delivery_delay",
      language: "es",
      category: "UTILITY",
      components: [
        { type: "HEADER", format: "TEXT", text: "Retraso" },
        { type: "BODY", text: "Tu pedido {{1}} llegará el {{2}}.", examples: ["PO-1", "lunes"] },
        { type: "FOOTER", text: "Recado" },
        { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "OK" }] },
      ],
    });
    expect(created).toMatchObject({ status: "PENDING", category: "UTILITY" });
    expect(created.id).toMatch(/^\d+$/);
    const pendingOnes = await graph.listMessageTemplates(masterWaba.id, { status: "PENDING" });
    expect(pendingOnes).toHaveLength(1);
    expect(pendingOnes[0]).toMatchObject({ id: created.id, name: "delivery_delay", bodyParameters: ["1", "2"] });
    expect(await graph.listMessageTemplates(masterWaba.id, { status: "APPROVED" })).toHaveLength(3);
  });

  it("refuses invalid names and duplicates the way Meta does", async () => {
    const base = { wabaId: masterWaba.id, language: "es", category: "UTILITY", components: [{ type: "BODY", text: "Hola" }] } as const;
    await expect(graph.createMessageTemplate({ ...base, name: "Bad-Name" })).rejects.toMatchObject({ code: "META_ERROR", metaCode: 100 });
    await expect(graph.createMessageTemplate({ ...base, name: "po_notification" })).rejects.toMatchObject({
      metaCode: 100,
      metaSubcode: 2388024,
    });
  });
});

describe("the default demo state", () => {
  it("matches the exported constants", async () => {
    const numbers = await graph.listPhoneNumbers(masterWaba.id, { fields: ["display_phone_number", "verified_name"] });
    expect(numbers.map((n) => n.id).sort()).toEqual([platform.id, defaultPhoneNumbers.support.id, notifications.id, pending.id].sort());
    await expect(graph.registerPhoneNumber(platform.id, { pin: defaultPin })).resolves.toBeUndefined();
  });
});
