/**
 * The simulator on its own, over raw HTTP: Graph conventions (envelope, versions, auth, fields, paging),
 * OAuth errors, health states, determinism, the control API and the CLI. (The client-side contract lives in
 * src/server/whatsapp.)
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "./control-client";
import { defaultPhoneNumbers, masterWaba, simulatorDefaults } from "./defaults";
import { metaJson } from "./meta-json";
import { createMetaSimulator, type MetaSimulator } from "./server";
import { signBody } from "./webhooks";
import { startWebhookReceiver } from "./test-receiver";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers are read field by field in assertions
type Json = Record<string, any>;

const { platform, support, pending } = defaultPhoneNumbers;
const auth = { authorization: `Bearer ${simulatorDefaults.masterAccessToken}` };

let sim: MetaSimulator;
let url: string;
let control: SimulatorControl;
let now = Date.UTC(2026, 5, 1, 9, 0, 0);

beforeAll(async () => {
  sim = createMetaSimulator({ statusDelaysMs: { sent: null }, now: () => now });
  ({ url } = await sim.listen(0));
  control = simulatorControl(url);
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

async function graph(path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const response = await fetch(`${url}${path}`, {
    ...rest,
    headers: {
      ...auth,
      ...(json !== undefined ? { "content-type": "application/json" } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

const textTo = (to: string) => ({ messaging_product: "whatsapp", to, type: "text", text: { body: "hola" } });

describe("Graph conventions", () => {
  it("answers errors in Meta's envelope with a trace id", async () => {
    const { status, headers, body } = await graph(`/v25.0/${platform.id}/messages`, { method: "POST", json: textTo("34600111222") });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        message: "(#131047) Re-engagement message",
        type: "OAuthException",
        code: 131047,
        error_data: { messaging_product: "whatsapp", details: expect.stringContaining("24 hours") },
        fbtrace_id: expect.stringMatching(/^[A-Za-z0-9_-]{23}$/),
      },
    });
    expect(headers.get("x-fb-trace-id")).toBe(body.error.fbtrace_id);
    expect(headers.get("facebook-api-version")).toBe("v25.0");
  });

  it("requires a version like v25.0 and knows its paths", async () => {
    expect((await graph(`/${platform.id}`)).body.error).toMatchObject({ code: 2500 });
    expect((await graph(`/v25/${platform.id}`)).body.error).toMatchObject({ code: 2500 });
    expect((await graph(`/v21.0/${platform.id}`)).status).toBe(200);
    expect((await graph(`/v25.0/${platform.id}/no_such_edge`)).body.error).toMatchObject({ code: 2500 });
    expect((await graph(`/v25.0/999`)).body.error).toMatchObject({ code: 100, error_subcode: 33, type: "GraphMethodException" });
  });

  it("authenticates with a bearer header or the access_token query parameter", async () => {
    expect((await graph(`/v25.0/${platform.id}`, { headers: { authorization: "" } })).body.error).toMatchObject({ code: 104 });
    const viaQuery = await fetch(`${url}/v25.0/${platform.id}?access_token=${simulatorDefaults.masterAccessToken}`);
    expect(viaQuery.status).toBe(200);
    const bad = await graph(`/v25.0/${platform.id}`, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ code: 190, type: "OAuthException" });
  });

  it("selects fields and rejects unknown ones", async () => {
    const { body } = await graph(`/v25.0/${platform.id}?fields=status,health_status{can_send_message}`);
    expect(Object.keys(body).sort()).toEqual(["health_status", "id", "status"]);
    expect((await graph(`/v25.0/${platform.id}?fields=status,nope`)).body.error).toMatchObject({
      code: 100,
      message: expect.stringContaining("(nope)"),
    });
  });

  it("pages with cursors; next only while there is more; the token only echoed when it came in the query", async () => {
    const first = await graph(`/v25.0/${masterWaba.id}/phone_numbers?limit=3`);
    expect(first.body.data).toHaveLength(3);
    expect(first.body.paging.next).not.toContain("access_token");
    const second = await graph(`/v25.0/${masterWaba.id}/phone_numbers?limit=3&after=${first.body.paging.cursors.after}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.paging.next).toBeUndefined();
    expect(second.body.paging.previous).toContain("before=");
    const back = await graph(`/v25.0/${masterWaba.id}/phone_numbers?limit=3&before=${second.body.paging.cursors.before}`);
    expect(back.body.data.map((n: { id: string }) => n.id)).toEqual(first.body.data.map((n: { id: string }) => n.id));
    const viaQuery = await fetch(`${url}/v25.0/${masterWaba.id}/phone_numbers?limit=1&access_token=${simulatorDefaults.masterAccessToken}`);
    expect(((await viaQuery.json()) as { paging: { next: string } }).paging.next).toContain("access_token=");
    const ascending = await graph(`/v25.0/${masterWaba.id}/phone_numbers?sort=["last_onboarded_time_ascending"]`);
    expect(ascending.body.data[0].id).toBe(platform.id);
  });

  it("takes form-encoded bodies as well as JSON", async () => {
    const response = await fetch(`${url}/v25.0/${pending.id}/register`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: "messaging_product=whatsapp&pin=12345",
    });
    expect(((await response.json()) as { error: { code: number; error_data: { details: string } } }).error).toMatchObject({
      code: 100,
      error_data: { details: expect.stringContaining("6 characters") },
    });
  });
});

describe("phone number health", () => {
  it("computes health_status from the number's state (Meta: support/health-status)", async () => {
    const health = async (id: string) => (await graph(`/v25.0/${id}?fields=health_status`)).body.health_status;
    expect((await health(platform.id)).can_send_message).toBe("AVAILABLE");

    await control.updatePhoneNumber(support.id, { nameStatus: "PENDING_REVIEW" });
    const limited = await health(support.id);
    expect(limited.can_send_message).toBe("LIMITED");
    expect(limited.entities[0].additional_info[0]).toContain("display name");

    await control.updatePhoneNumber(support.id, { status: "BANNED" });
    const blocked = await health(support.id);
    expect(blocked.can_send_message).toBe("BLOCKED");
    expect(blocked.entities[0].errors[0]).toMatchObject({ error_code: 131031 });
    expect((await graph(`/v25.0/${support.id}/messages`, { method: "POST", json: textTo("34600111222") })).body.error.code).toBe(131031);

    await control.updatePhoneNumber(platform.id, { qualityRating: "RED" });
    expect((await health(platform.id)).can_send_message).toBe("LIMITED");
  });
});

describe("OAuth code exchange", () => {
  const exchange = (params: Record<string, string>, method = "GET") =>
    method === "GET"
      ? fetch(`${url}/v25.0/oauth/access_token?${new URLSearchParams(params)}`).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Json,
        }))
      : fetch(`${url}/v25.0/oauth/access_token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(params),
        }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Json,
        }));
  const app = { client_id: simulatorDefaults.appId, client_secret: simulatorDefaults.appSecret };

  it("issues a token once per code, within 30 seconds", async () => {
    const { code } = await control.createOAuthCode();
    const ok = await exchange({ ...app, code });
    expect(ok.body).toEqual({ access_token: expect.stringMatching(/^EAAG/), token_type: "bearer" });
    expect((await exchange({ ...app, code })).body.error).toMatchObject({
      code: 100,
      error_subcode: 36009,
      message: "This authorization code has been used.",
    });

    const late = await control.createOAuthCode();
    now += 31_000;
    expect((await exchange({ ...app, code: late.code }, "POST")).body.error).toMatchObject({ code: 100, error_subcode: 36007 });
  });

  it("validates the app and the code", async () => {
    const { code } = await control.createOAuthCode();
    expect((await exchange({ client_id: "42", client_secret: "x", code })).body.error).toMatchObject({ code: 101 });
    expect((await exchange({ ...app, client_secret: "wrong", code })).body.error).toMatchObject({
      code: 1,
      message: "Error validating client secret.",
    });
    expect((await exchange({ ...app, code: "AQnot-a-code" })).body.error).toMatchObject({ code: 100 });
    expect((await exchange({ client_secret: "x", code })).body.error).toMatchObject({ code: 101, message: "Missing client_id parameter." });
  });
});

describe("determinism", () => {
  async function wamids(seed: number) {
    const seeded = createMetaSimulator({ seed, statusDelaysMs: { sent: null } });
    const { url: seededUrl } = await seeded.listen(0);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${seededUrl}/v25.0/${platform.id}/messages`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({
            messaging_product: "whatsapp",
            to: `3460000000${i}`,
            type: "template",
            template: { name: "hello_world", language: { code: "en_US" } },
          }),
        });
        ids.push(((await response.json()) as { messages: { id: string }[] }).messages[0]?.id ?? "");
      }
      // the same seed replays the same fault dice too
      await simulatorControl(seededUrl).setFaults({ errorRate: 0.5 });
      const dice: number[] = [];
      for (let i = 0; i < 8; i++) dice.push((await fetch(`${seededUrl}/v25.0/${platform.id}`, { headers: auth })).status);
      return { ids, dice };
    } finally {
      await seeded.close();
    }
  }

  it("gives the same ids and faults for the same seed, others for another", async () => {
    const a = await wamids(7);
    const b = await wamids(7);
    const c = await wamids(8);
    expect(b).toEqual(a);
    expect(c.ids).not.toEqual(a.ids);
    expect(new Set(a.dice).size).toBe(2);
  });
});

describe("control API", () => {
  it("resets to the default state", async () => {
    const created = await control.createPhoneNumber({ displayPhoneNumber: "+34 699 123 456", qualityRating: "RED", status: "FLAGGED" });
    expect((await graph(`/v25.0/${created.id}?fields=quality_rating,status`)).body).toMatchObject({
      quality_rating: "RED",
      status: "FLAGGED",
    });
    await control.reset();
    expect((await graph(`/v25.0/${created.id}`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const state = (await control.state()) as { phoneNumbers: unknown[]; templates: unknown[] };
    expect(state.phoneNumbers).toHaveLength(5);
    expect(state.templates).toHaveLength(3);
  });

  it("counts Graph requests by path", async () => {
    await graph(`/v25.0/${platform.id}`);
    await graph(`/v25.0/${platform.id}`);
    await graph(`/v25.0/${masterWaba.id}/phone_numbers`);
    expect(await control.requestCounts()).toEqual({
      total: 3,
      byPath: { [`GET /${platform.id}`]: 2, [`GET /${masterWaba.id}/phone_numbers`]: 1 },
    });
  });

  it("rejects bad input with a readable message and unknown routes with 404", async () => {
    await expect(control.createPhoneNumber({ displayPhoneNumber: "+34 1", qualityRating: "PURPLE" as "RED" })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("qualityRating"),
    });
    const response = await fetch(`${url}/__sim/nope`);
    expect(response.status).toBe(404);
  });

  it("lists what was sent", async () => {
    await control.inbound(platform.id, { from: "34600111222", text: "Hola" });
    await graph(`/v25.0/${platform.id}/messages`, { method: "POST", json: textTo("+34 600 111 222") });
    expect(await control.messages({ to: "34600111222" })).toEqual([
      expect.objectContaining({ type: "text", text: "hola", waId: "34600111222", status: "accepted" }),
    ]);
  });
});

describe("webhook bytes", () => {
  it("serialises like Meta (escaped unicode and slashes) and signs exactly those bytes", async () => {
    expect(metaJson({ name: "José", url: "https://x/y", emoji: "👍" })).toBe(
      '{"name":"Jos\\u00e9","url":"https:\\/\\/x\\/y","emoji":"\\ud83d\\udc4d"}',
    );
    const receiver = await startWebhookReceiver();
    try {
      await control.configure({ webhookUrl: receiver.url });
      await control.inbound(platform.id, { from: "34600111222", name: "Zoë", text: "a/b" });
      const [webhook] = await receiver.waitFor((r) => r.length >= 1);
      const expected = signBody(webhook?.rawBody ?? Buffer.alloc(0), simulatorDefaults.appSecret);
      expect(webhook?.headers["x-hub-signature-256"]).toBe(expected);
      expect(webhook?.rawBody.toString()).toContain("Zo\\u00eb");
    } finally {
      await receiver.close();
    }
  });
});

describe("npm run sim (main.ts)", () => {
  it("prints its URL, serves, and shuts down on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/meta-simulator/main.ts"], {
      env: { ...process.env, SIM_PORT: "0", SIM_WEBHOOK_URL: "http://127.0.0.1:1/unused" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const simUrl = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Graph API on (http:\/\/[^\s/]+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited early (${code}): ${out}`)));
      });
      const response = await fetch(`${simUrl}/v25.0/${platform.id}`, { headers: auth });
      expect(response.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 20_000);
});
