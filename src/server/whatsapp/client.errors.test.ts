/**
 * The simulator answers with the reference's error codes https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes, and the client classifies them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "@/meta-simulator/control-client";
import { customerWaba, defaultPhoneNumbers, defaultPin, masterWaba, simulatorDefaults } from "@/meta-simulator/defaults";
import { createMetaSimulator, type MetaSimulator } from "@/meta-simulator/server";
import { createGraphClient, type GraphClient } from "@/server/whatsapp/client";
import { GraphApiError } from "@/server/whatsapp/errors";

const { platform, pending } = defaultPhoneNumbers;
const apiVersion = "v25.0";

let sim: MetaSimulator;
let url: string;
let control: SimulatorControl;
let graph: GraphClient;
/** the simulator's clock: frozen, so limits over time windows are exact */
let now = Date.UTC(2026, 5, 1, 9, 0, 0);

beforeAll(async () => {
  sim = createMetaSimulator({ statusDelaysMs: { sent: null }, webhookUrl: null, now: () => now });
  ({ url } = await sim.listen(0));
  control = simulatorControl(url);
  graph = createGraphClient({ baseUrl: url, apiVersion, accessToken: simulatorDefaults.masterAccessToken, retry: { baseDelayMs: 5 } });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(outcome)}`);
  return outcome;
}

const template = (overrides: Partial<Parameters<GraphClient["sendTemplateMessage"]>[0]> = {}) =>
  graph.sendTemplateMessage({
    phoneNumberId: platform.id,
    to: "34600999888",
    templateName: "po_notification",
    languageCode: "es",
    bodyParameters: ["Harinas del Norte", "PO-1", "10 €"],
    ...overrides,
  });

describe("templates", () => {
  it("132001 for an unknown template or a language it does not exist in", async () => {
    for (const attempt of [template({ templateName: "no_such_template" }), template({ languageCode: "es_ES" })]) {
      const error = await failure(attempt);
      expect(error).toMatchObject({ metaCode: 132001, code: "TEMPLATE_NOT_FOUND", kind: "permanent", httpStatus: 400 });
    }
  });

  it("132015 paused, 132016 disabled, 132001 not yet approved", async () => {
    await control.createTemplate({ name: "paused_one", language: "es", status: "PAUSED", bodyText: "Hola" });
    await control.createTemplate({ name: "disabled_one", language: "es", status: "DISABLED", bodyText: "Hola" });
    await control.createTemplate({ name: "pending_one", language: "es", status: "PENDING", bodyText: "Hola" });
    expect(await failure(template({ templateName: "paused_one", bodyParameters: [] }))).toMatchObject({
      metaCode: 132015,
      code: "TEMPLATE_NOT_APPROVED",
    });
    expect(await failure(template({ templateName: "disabled_one", bodyParameters: [] }))).toMatchObject({
      metaCode: 132016,
      code: "TEMPLATE_NOT_APPROVED",
    });
    expect(await failure(template({ templateName: "pending_one", bodyParameters: [] }))).toMatchObject({
      metaCode: 132001,
      code: "TEMPLATE_NOT_FOUND",
    });
  });

  it("132000 when the parameter count does not match", async () => {
    const error = await failure(template({ bodyParameters: ["only one"] }));
    expect(error).toMatchObject({ metaCode: 132000, code: "TEMPLATE_PARAMS_MISMATCH" });
    expect(error.details.metaDetails).toContain("(1)");
  });
});

describe("the customer service window", () => {
  const text = () => graph.sendTextMessage({ phoneNumberId: platform.id, to: "34600111222", body: "¿Confirmas el pedido?" });

  it("131047 for free-form text until the user writes, and again 24 h after", async () => {
    expect(await failure(text())).toMatchObject({ metaCode: 131047, code: "CONVERSATION_EXPIRED", kind: "permanent" });
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    await expect(text()).resolves.toMatchObject({ waId: "34600111222" });
    now += 24 * 3600_000 + 1000;
    expect(await failure(text())).toMatchObject({ metaCode: 131047 });
    // templates are allowed outside the window
    await expect(template({ to: "34600111222" })).resolves.toMatchObject({ messageStatus: "accepted" });
  });
});

describe("recipients not on WhatsApp", () => {
  it("131026 arrives as a failed status webhook (the send itself is accepted)", async () => {
    await control.configure({ statusDelaysMs: { sent: 0 } });
    await control.setRecipients(["34600000001"], false);
    const sent = await template({ to: "+34600000001" });
    await control.flush();
    const [delivery] = await control.webhooks({ field: "messages" });
    const status = (
      delivery?.payload as { entry: { changes: { value: { statuses: { id: string; status: string; errors: { code: number }[] }[] } }[] }[] }
    ).entry[0]?.changes[0]?.value.statuses[0];
    expect(status).toMatchObject({ id: sent.messageId, status: "failed", errors: [{ code: 131026 }] });
  });

  it("131026 synchronously in sync mode", async () => {
    await control.configure({ undeliverableMode: "sync" });
    await control.setRecipients(["34600000001"], false);
    expect(await failure(template({ to: "34600000001" }))).toMatchObject({ metaCode: 131026, code: "RECIPIENT_NOT_ON_WHATSAPP" });
  });
});

describe("limits", () => {
  it("130429 when a STANDARD number gets more than 80 messages in one second", async () => {
    const sends = Array.from({ length: 81 }, (_, i) =>
      template({ to: `346000${String(i).padStart(5, "0")}` }).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    const errors = (await Promise.all(sends)).filter((e) => e !== null);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ metaCode: 130429, code: "RATE_LIMIT_EXCEEDED", kind: "throttled", retryAfterMs: 1000 });
    // the window slides: a second later the number can send again
    now += 1000;
    await expect(template({ to: "34699999999" })).resolves.toBeDefined();
    // and a HIGH number takes 1,000 per second
    await control.updatePhoneNumber(platform.id, { throughput: "HIGH" });
    const high = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        template({ to: `346100${String(i).padStart(5, "0")}` }).then(
          () => "ok",
          () => "failed",
        ),
      ),
    );
    expect(high.filter((r) => r === "failed")).toHaveLength(0);
  });

  it("131056 after a burst of 45 to the same recipient, then one per 6 s", async () => {
    const results = await Promise.all(
      Array.from({ length: 46 }, () =>
        template().then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );
    const errors = results.filter((e) => e !== null);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ metaCode: 131056, code: "RATE_LIMIT_EXCEEDED", kind: "throttled" });
    await expect(template({ to: "34600999777" })).resolves.toBeDefined(); // other recipients are unaffected
    now += 6000;
    await expect(template()).resolves.toBeDefined();
    expect(await failure(template())).toMatchObject({ metaCode: 131056 });
  });

  it("the pair limit can be switched off (benchmarks)", async () => {
    await control.configure({ pairRateLimit: { enabled: false } });
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        template().then(
          () => "ok",
          () => "failed",
        ),
      ),
    );
    expect(results.every((r) => r === "ok")).toBe(true);
  });
});

describe("tokens and permissions", () => {
  it("190 for an expired, revoked or unknown token", async () => {
    const token = await control.createToken({ wabaIds: [masterWaba.id] });
    const tenant = graph.withToken(token.token);
    await expect(tenant.getPhoneNumber(platform.id)).resolves.toBeDefined();
    await control.expireToken(token.token);
    expect(await failure(tenant.getPhoneNumber(platform.id))).toMatchObject({
      metaCode: 190,
      metaSubcode: 463,
      code: "TOKEN_EXPIRED",
      kind: "auth",
      httpStatus: 401,
    });

    const revoked = await control.createToken({ wabaIds: [masterWaba.id] });
    await control.revokeToken(revoked.token);
    expect(await failure(graph.withToken(revoked.token).getPhoneNumber(platform.id))).toMatchObject({ metaCode: 190, metaSubcode: 467 });
    expect(await failure(graph.withToken("EAAG-unknown-token").getPhoneNumber(platform.id))).toMatchObject({
      metaCode: 190,
      code: "TOKEN_EXPIRED",
    });
  });

  it("190 for the master token once expired through the control API", async () => {
    await control.expireToken(simulatorDefaults.masterAccessToken);
    expect(await failure(graph.listPhoneNumbers(masterWaba.id))).toMatchObject({ metaCode: 190, kind: "auth" });
  });

  it("10 without the messaging permission; 100/33 outside the token's accounts", async () => {
    const managementOnly = await control.createToken({ wabaIds: [masterWaba.id], scopes: ["whatsapp_business_management"] });
    expect(
      await failure(
        graph
          .withToken(managementOnly.token)
          .sendTemplateMessage({ phoneNumberId: platform.id, to: "34600999888", templateName: "hello_world", languageCode: "en_US" }),
      ),
    ).toMatchObject({
      metaCode: 10,
      code: "PERMISSION_DENIED",
      kind: "auth",
      httpStatus: 403,
    });
    const customerOnly = await control.createToken({ wabaIds: [customerWaba.id] });
    expect(await failure(graph.withToken(customerOnly.token).getPhoneNumber(platform.id))).toMatchObject({
      metaCode: 100,
      metaSubcode: 33,
    });
  });
});

describe("registration", () => {
  it("100/2388001 while the display name is in review, then success (default pending number: 2 failures)", async () => {
    for (let i = 0; i < 2; i++) {
      expect(await failure(graph.registerPhoneNumber(pending.id, { pin: "654321" }))).toMatchObject({
        metaCode: 100,
        metaSubcode: 2388001,
        code: "REGISTRATION_PENDING_PROVISIONING",
        attempts: 1,
      });
    }
    await graph.registerPhoneNumber(pending.id, { pin: "654321" });
    expect(await graph.getPhoneNumber(pending.id, ["name_status", "platform_type", "throughput", "status"])).toMatchObject({
      nameStatus: "APPROVED",
      platformType: "CLOUD_API",
      throughput: { level: "STANDARD" },
      status: "CONNECTED",
    });
  });

  it("a name review that completes after N seconds", async () => {
    const phone = await control.createPhoneNumber({
      displayPhoneNumber: "+34 699 000 111",
      registered: false,
      pin: null,
      nameReview: { afterSeconds: 60 },
    });
    expect(await failure(graph.registerPhoneNumber(phone.id, { pin: "111111" }))).toMatchObject({ metaSubcode: 2388001 });
    now += 61_000;
    expect((await graph.getPhoneNumber(phone.id, ["name_status"])).nameStatus).toBe("APPROVED");
    await expect(graph.registerPhoneNumber(phone.id, { pin: "111111" })).resolves.toBeUndefined();
  });

  it("133016 on the 11th register call within 72 h, blocking the number for 72 h", async () => {
    for (let i = 0; i < 10; i++) await graph.registerPhoneNumber(platform.id, { pin: defaultPin });
    expect(await failure(graph.registerPhoneNumber(platform.id, { pin: defaultPin }))).toMatchObject({
      metaCode: 133016,
      code: "REGISTRATION_LIMIT_REACHED",
      kind: "throttled",
      retryAfterMs: 72 * 3600_000,
    });
    expect(await failure(graph.deregisterPhoneNumber(platform.id))).toMatchObject({ metaCode: 133016 });
    now += 72 * 3600_000 - 1000;
    expect(await failure(graph.registerPhoneNumber(platform.id, { pin: defaultPin }))).toMatchObject({ metaCode: 133016 });
    now += 2000;
    await expect(graph.registerPhoneNumber(platform.id, { pin: defaultPin })).resolves.toBeUndefined();
  });

  it("133005 for a wrong PIN when two-step verification is on, 133006 for an unverified number", async () => {
    expect(await failure(graph.registerPhoneNumber(platform.id, { pin: "000000" }))).toMatchObject({
      metaCode: 133005,
      code: "META_ERROR",
    });
    const unverified = await control.createPhoneNumber({
      displayPhoneNumber: "+34 699 000 222",
      codeVerificationStatus: "NOT_VERIFIED",
      registered: false,
    });
    expect(await failure(graph.registerPhoneNumber(unverified.id, { pin: "123123" }))).toMatchObject({ metaCode: 133006 });
  });

  it("133010 when sending from a number that is not registered", async () => {
    expect(
      await failure(
        graph.sendTemplateMessage({ phoneNumberId: pending.id, to: "34600999888", templateName: "hello_world", languageCode: "en_US" }),
      ),
    ).toMatchObject({
      metaCode: 133010,
      code: "PHONE_NUMBER_NOT_REGISTERED",
    });
  });
});

describe("the token never leaks", () => {
  const secretToken = "EAAGsecretTOKENvalue0123456789abcdefXYZ";

  it("is absent from messages, String(err), JSON and details, even when Meta echoes it", async () => {
    const secretSim = createMetaSimulator({ accessTokens: [secretToken], statusDelaysMs: { sent: null } });
    const { url: secretUrl } = await secretSim.listen(0);
    try {
      const client = createGraphClient({
        baseUrl: secretUrl,
        apiVersion,
        accessToken: secretToken,
        timeoutMs: 200,
        retry: { maxAttempts: 1 },
      });
      const secretControl = simulatorControl(secretUrl);
      await secretControl.setFaults({
        next: [
          { type: "error", code: 100, title: `Malformed access token ${secretToken}`, details: `access_token=${secretToken} is not valid` },
          { type: "latency", ms: 400 },
        ],
      });
      const errors = [
        await failure(client.getPhoneNumber(platform.id)),
        await failure(client.getPhoneNumber(platform.id)),
        await failure(client.sendTextMessage({ phoneNumberId: platform.id, to: "34600111222", body: "hi" })),
        await failure(client.debugToken(secretToken, { appId: simulatorDefaults.appId, appSecret: "wrong-secret-value" })),
        await failure(
          createGraphClient({
            baseUrl: "http://127.0.0.1:9",
            apiVersion,
            accessToken: secretToken,
            retry: { maxAttempts: 1 },
          }).getPhoneNumber(platform.id),
        ),
      ];
      await secretControl.expireToken(secretToken);
      errors.push(await failure(client.listPhoneNumbers(masterWaba.id)));

      expect(errors.map((e) => e.code)).toEqual([
        "META_ERROR",
        "META_UNAVAILABLE",
        "CONVERSATION_EXPIRED",
        "TOKEN_EXPIRED",
        "META_UNAVAILABLE",
        "TOKEN_EXPIRED",
      ]);
      expect(errors[0]?.message).toContain("[redacted]");
      for (const error of errors) {
        for (const text of [error.message, String(error), JSON.stringify(error), JSON.stringify(error.details), error.stack ?? ""]) {
          expect(text).not.toContain(secretToken);
          expect(text).not.toContain("wrong-secret-value");
        }
      }
    } finally {
      await secretSim.close();
    }
  });
});
