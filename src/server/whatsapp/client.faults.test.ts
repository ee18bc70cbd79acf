/**
 * Fault injection against the client's retry policy: reads are retried on 5xx, dropped connections and
 * timeouts; sends only when Meta said it did nothing; registration never.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorControl, type SimulatorControl } from "@/meta-simulator/control-client";
import { defaultPhoneNumbers, defaultPin, masterWaba, simulatorDefaults } from "@/meta-simulator/defaults";
import { createMetaSimulator, type MetaSimulator } from "@/meta-simulator/server";
import { createGraphClient, type GraphClient } from "@/server/whatsapp/client";
import { GraphApiError } from "@/server/whatsapp/errors";
import { Agent } from "undici";
import { dispatcherFetch } from "@/server/accounts/graph";

const { platform } = defaultPhoneNumbers;
const phonePath = `GET /${platform.id}`;
const sendPath = `POST /${platform.id}/messages`;

let sim: MetaSimulator;
let url: string;
let control: SimulatorControl;
let graph: GraphClient;

beforeAll(async () => {
  sim = createMetaSimulator({ statusDelaysMs: { sent: null }, webhookUrl: null });
  ({ url } = await sim.listen(0));
  control = simulatorControl(url);
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

/** A port nothing listens on (fetch refuses "bad ports" such as 9 outright, which is not a refused connection). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const calls = async (key: string) => (await control.requestCounts()).byPath[key] ?? 0;
const sendTemplate = () =>
  graph.sendTemplateMessage({
    phoneNumberId: platform.id,
    to: "34600999888",
    templateName: "po_notification",
    languageCode: "en",
    bodyParameters: ["A", "B", "C"],
  });

// the same faults over global fetch and over the undici `request` transport the app's Graph clients use (accounts/graph.ts)
const transports: [string, typeof fetch | undefined][] = [
  ["global fetch", undefined],
  ["undici request", dispatcherFetch(new Agent({ keepAliveTimeout: 30_000 }))],
];

describe.each(transports)("over %s", (_, fetchImpl) => {
  beforeAll(() => {
    graph = createGraphClient({
      baseUrl: url,
      apiVersion: "v25.0",
      accessToken: simulatorDefaults.masterAccessToken,
      timeoutMs: 150,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
      fetchImpl,
    });
  });

  describe("reads", () => {
    it("retry 5xx with backoff and succeed", async () => {
      await control.setFaults({ next: [{ type: "server_error", httpStatus: 503 }, { type: "server_error" }] });
      await expect(graph.getPhoneNumber(platform.id)).resolves.toMatchObject({ id: platform.id });
      expect(await calls(phonePath)).toBe(3);
    });

    it("give up after maxAttempts with META_UNAVAILABLE", async () => {
      await control.setFaults({ serverErrorRate: 1 });
      const error = await failure(graph.getPhoneNumber(platform.id));
      expect(error).toMatchObject({
        code: "META_UNAVAILABLE",
        kind: "retryable",
        httpStatus: 500,
        metaCode: 2,
        attempts: 3,
        outcome: "rejected",
      });
      expect(await calls(phonePath)).toBe(3);
    });

    it("retry a timeout (latency above the client's timeout) and succeed", async () => {
      await control.setFaults({ next: [{ type: "latency", ms: 400 }] });
      await expect(graph.getPhoneNumber(platform.id)).resolves.toMatchObject({ id: platform.id });
      expect(await calls(phonePath)).toBe(2);
    });

    it("fail with META_UNAVAILABLE when every attempt times out", async () => {
      await control.setFaults({ latencyMs: 400, pathPattern: "^GET " });
      const error = await failure(graph.listPhoneNumbers(masterWaba.id));
      expect(error).toMatchObject({
        code: "META_UNAVAILABLE",
        kind: "retryable",
        attempts: 3,
        outcome: "unknown",
        details: { transport: "timeout" },
      });
    });

    it("retry a dropped connection", async () => {
      await control.setFaults({ next: [{ type: "disconnect" }] });
      await expect(graph.getPhoneNumber(platform.id)).resolves.toMatchObject({ id: platform.id });
      expect(await calls(phonePath)).toBe(2);
    });

    it("retry a connection that cannot be made, then report it", async () => {
      const nowhere = createGraphClient({
        baseUrl: `http://127.0.0.1:${await closedPort()}`,
        apiVersion: "v25.0",
        accessToken: "t0ken-x",
        retry: { maxAttempts: 2, baseDelayMs: 1 },
        fetchImpl,
      });
      expect(await failure(nowhere.getPhoneNumber(platform.id))).toMatchObject({
        code: "META_UNAVAILABLE",
        attempts: 2,
        outcome: "rejected",
        details: { transport: "connect" },
      });
    });

    it("wait out a short throttle but not a long one", async () => {
      const patient = createGraphClient({
        baseUrl: url,
        apiVersion: "v25.0",
        accessToken: simulatorDefaults.masterAccessToken,
        retry: { baseDelayMs: 1, maxThrottleWaitMs: 1000 },
        fetchImpl,
      });
      await control.setFaults({ next: [{ type: "error", code: 130429, title: "Rate limit hit" }] });
      await expect(patient.getPhoneNumber(platform.id)).resolves.toBeDefined();
      await control.setFaults({ next: [{ type: "error", code: 80007, httpStatus: 429, title: "Rate limit" }] });
      expect(await failure(patient.getPhoneNumber(platform.id))).toMatchObject({
        code: "RATE_LIMIT_EXCEEDED",
        kind: "throttled",
        retryAfterMs: 300_000,
        attempts: 1,
      });
    });

    it("do not retry auth failures", async () => {
      await control.expireToken(simulatorDefaults.masterAccessToken);
      expect(await failure(graph.getPhoneNumber(platform.id))).toMatchObject({ code: "TOKEN_EXPIRED", kind: "auth", attempts: 1 });
      expect(await calls(phonePath)).toBe(1);
    });
  });

  describe("sends", () => {
    it("are retried when Meta answers with a transient error, and go out once", async () => {
      await control.setFaults({
        next: [{ type: "server_error" }, { type: "error", code: 131000, httpStatus: 500, title: "Something went wrong" }],
        pathPattern: "/messages$",
      });
      await expect(sendTemplate()).resolves.toMatchObject({ messageStatus: "accepted" });
      expect(await calls(sendPath)).toBe(3);
      expect(await control.messages()).toHaveLength(1);
    });

    it("are NOT retried after a timeout: the message may already be out (here it is)", async () => {
      await control.setFaults({ next: [{ type: "latency", ms: 400 }], pathPattern: "/messages$" });
      const error = await failure(sendTemplate());
      expect(error).toMatchObject({ code: "META_UNAVAILABLE", outcome: "unknown", attempts: 1, details: { transport: "timeout" } });
      expect(await calls(sendPath)).toBe(1);
      // the simulator accepted it before answering late: a blind retry would have sent it twice
      expect(await control.messages()).toHaveLength(1);
    });

    it("are NOT retried after a dropped connection", async () => {
      await control.setFaults({ next: [{ type: "disconnect" }], pathPattern: "/messages$" });
      expect(await failure(sendTemplate())).toMatchObject({ code: "META_UNAVAILABLE", outcome: "unknown", attempts: 1 });
      expect(await calls(sendPath)).toBe(1);
    });

    it("leave throttling to the caller, with a hint", async () => {
      await control.setFaults({
        next: [{ type: "error", code: 130429, title: "Rate limit hit", details: "Cloud API message throughput has been reached." }],
      });
      const error = await failure(sendTemplate());
      expect(error).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", kind: "throttled", retryAfterMs: 1000, attempts: 1, metaCode: 130429 });
      expect(error.details.metaDetails).toBe("Cloud API message throughput has been reached.");
    });
  });

  describe("registration", () => {
    it("is never repeated once it reached Meta, even on a 5xx (each call spends the 10 per 72 h)", async () => {
      await control.setFaults({ next: [{ type: "server_error" }] });
      expect(await failure(graph.registerPhoneNumber(platform.id, { pin: defaultPin }))).toMatchObject({
        code: "META_UNAVAILABLE",
        attempts: 1,
      });
      expect(await calls(`POST /${platform.id}/register`)).toBe(1);
    });
  });

  describe("fault rates", () => {
    it("errorRate answers the configured error on matching paths only", async () => {
      await control.setFaults({
        errorRate: 1,
        error: { code: 131016, title: "Service unavailable", httpStatus: 503 },
        pathPattern: "phone_numbers",
      });
      expect(await failure(graph.listPhoneNumbers(masterWaba.id))).toMatchObject({ metaCode: 131016, kind: "retryable", attempts: 3 });
      await expect(graph.getPhoneNumber(platform.id)).resolves.toBeDefined();
      await control.clearFaults();
      await expect(graph.listPhoneNumbers(masterWaba.id)).resolves.toHaveLength(4);
    });
  });
});
