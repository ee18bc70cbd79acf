/**
 * The Meta Graph API simulator: what stripe-mock is to Stripe, for WhatsApp's Cloud API. A node:http server
 * answering Graph paths under /{version}/... like Meta documents them https://developers.facebook.com/documentation/business-messaging/whatsapp/, delivering signed
 * webhooks back to the app, with a control API under /__sim. See README.md in this folder.
 *
 * Imports nothing from the app: it stands in for Meta, so it must not share the app's assumptions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl } from "./control";
import { SimulatorCore, type FaultStep, type MetaSimulatorOptions, type SimulatorConfig } from "./core";
import { deregister, getNode, listPhoneNumbers, register, updatePhoneNumber } from "./graph-phone-numbers";
import { debugToken, exchangeCode, listSubscribedApps, subscribeApp, unsubscribeApp } from "./graph-accounts";
import { SimGraphError, graphErrors } from "./graph-errors";
import { sendMessage } from "./graph-messages";
import type { GraphRequest, GraphResponse } from "./graph-request";
import { createTemplate, deleteTemplateNode, deleteTemplates, listTemplates } from "./graph-templates";
import type { SimSentMessage } from "./state";
import type { WebhookDelivery } from "./webhooks";

export type { MetaSimulatorOptions, SimulatorConfig } from "./core";

export type MetaSimulator = {
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
  /** the base URL once listening (e.g. http://127.0.0.1:4010) */
  readonly url: string;
  /** back to the default demo state (same as POST /__sim/reset) */
  reset(): void;
  /** resolves when every scheduled status and webhook delivery (with retries) has finished */
  whenIdle(): Promise<void>;
  configure(config: Partial<Omit<SimulatorConfig, "faults">>): void;
  sentMessages(): readonly SimSentMessage[];
  webhookDeliveries(): readonly WebhookDelivery[];
};

const maxBodyBytes = 5 * 1024 * 1024;
const versionPattern = /^v\d+\.\d+$/;

class BodyError extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyError("The request body is too large.");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString("utf8").trim();
  if (text === "") return {};
  const asForm = () => Object.fromEntries(new URLSearchParams(text));
  if (contentType?.includes("application/x-www-form-urlencoded")) return asForm();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new BodyError("The JSON body must be an object.");
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BodyError) throw error;
    if (contentType?.includes("application/json")) throw new BodyError("The request body is not valid JSON.");
    return asForm();
  }
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1]?.trim() ?? null;
}

type Route = (core: SimulatorCore, request: GraphRequest) => GraphResponse;

/** The Graph routes, keyed by method and path shape (":id" = any node id). */
function graphRoute(method: string, segments: string[]): Route | null {
  const [first, edge, ...rest] = segments;
  if (!first || rest.length > 0) return null;
  if (edge === undefined) {
    if (first === "debug_token") return method === "GET" ? debugToken : null;
    if (method === "GET") return (core, r) => getNode(core, r, first);
    if (method === "POST") return (core, r) => updatePhoneNumber(core, r, first);
    if (method === "DELETE")
      return (core, r) => {
        const template = core.state.templates.get(first);
        if (!template) throw graphErrors.objectNotFound(first, r.method);
        return deleteTemplateNode(core, r, template);
      };
    return null;
  }
  if (first === "oauth" && edge === "access_token") return method === "GET" || method === "POST" ? exchangeCode : null;
  const byEdge: Record<string, Partial<Record<string, Route>>> = {
    register: { POST: (core, r) => register(core, r, first) },
    deregister: { POST: (core, r) => deregister(core, r, first) },
    messages: { POST: (core, r) => sendMessage(core, r, first) },
    phone_numbers: { GET: (core, r) => listPhoneNumbers(core, r, first) },
    subscribed_apps: {
      GET: (core, r) => listSubscribedApps(core, r, first),
      POST: (core, r) => subscribeApp(core, r, first),
      DELETE: (core, r) => unsubscribeApp(core, r, first),
    },
    message_templates: {
      GET: (core, r) => listTemplates(core, r, first),
      POST: (core, r) => createTemplate(core, r, first),
      DELETE: (core, r) => deleteTemplates(core, r, first),
    },
  };
  return byEdge[edge]?.[method] ?? null;
}

/** The fault (if any) a matching Graph call gets: a scripted step first, then the configured rates. */
function pickFault(core: SimulatorCore, routeKey: string): FaultStep | null {
  const faults = core.config.faults;
  if (faults.pathPattern && !new RegExp(faults.pathPattern).test(routeKey)) return null;
  const scripted = faults.next.shift();
  if (scripted) return scripted;
  if (faults.serverErrorRate > 0 && core.random.float() < faults.serverErrorRate) return { type: "server_error" };
  if (faults.errorRate > 0 && core.random.float() < faults.errorRate) return { type: "error", ...faults.error };
  return null;
}

function faultError(step: Extract<FaultStep, { type: "server_error" | "error" }>): SimGraphError {
  if (step.type === "server_error") return graphErrors.serverError(step.httpStatus ?? 500);
  return new SimGraphError({
    code: step.code,
    subcode: step.subcode,
    httpStatus: step.httpStatus ?? 400,
    title: step.title ?? "Injected error",
    details: step.details,
  });
}

export function createMetaSimulator(options: MetaSimulatorOptions = {}): MetaSimulator {
  const core = new SimulatorCore(options);
  const log = options.log === false || options.log === undefined ? null : options.log;
  let server: Server | null = null;
  let baseUrl: string | null = null;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  async function handleGraph(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]) {
    const method = (req.method ?? "GET").toUpperCase();
    const traceId = core.random.traceId();
    const graphHeaders = { "x-fb-trace-id": traceId, "x-fb-request-id": traceId, "facebook-api-version": segments[0] ?? "" };
    const fail = (error: SimGraphError) => send(res, error.httpStatus, error.toEnvelope(traceId), graphHeaders);

    const [version, ...rest] = segments;
    if (!version || !versionPattern.test(version)) return fail(graphErrors.unknownPath(url.pathname));
    const routeKey = `${method} /${rest.join("/")}`;
    core.requestCounts.set(routeKey, (core.requestCounts.get(routeKey) ?? 0) + 1);

    const fault = pickFault(core, routeKey);
    if (fault?.type === "disconnect") {
      req.socket.destroy();
      return;
    }
    const latency = core.config.faults.latencyMs + (fault?.type === "latency" ? fault.ms : 0);
    let response: GraphResponse | SimGraphError;
    try {
      const body = parseBody(await readBody(req), req.headers["content-type"]);
      const queryToken = url.searchParams.get("access_token");
      const bodyToken = typeof body.access_token === "string" ? body.access_token : null;
      const request: GraphRequest = {
        method,
        version,
        segments: rest,
        query: url.searchParams,
        params: { ...Object.fromEntries(url.searchParams), ...body },
        token: bearer(req) ?? queryToken ?? bodyToken,
        tokenInQuery: bearer(req) === null && queryToken !== null,
        origin: `http://${req.headers.host ?? "127.0.0.1"}`,
      };
      if (fault && (fault.type === "server_error" || fault.type === "error")) {
        response = faultError(fault);
      } else {
        const route = graphRoute(method, rest);
        response = route
          ? route(core, request)
          : rest.length === 1 && rest[0]
            ? graphErrors.objectNotFound(rest[0], method)
            : graphErrors.unknownPath(url.pathname);
      }
    } catch (error) {
      if (error instanceof SimGraphError) response = error;
      else if (error instanceof BodyError) response = graphErrors.invalidParameter(error.message);
      else {
        console.error("[meta-simulator] unexpected error:", error);
        response = new SimGraphError({ code: 1, title: "An unknown error occurred", httpStatus: 500, isTransient: true });
      }
    }
    // Latency is added after the request took effect, as on the real API: a client that gives up waiting on a
    // send may still have sent the message.
    if (latency > 0) await core.tasks.sleep(latency);
    log?.(
      `${method} ${url.pathname} → ${response instanceof SimGraphError ? `${response.httpStatus} ${response.message}` : response.status}`,
    );
    if (response instanceof SimGraphError) fail(response);
    else send(res, response.status, response.body, graphHeaders);
  }

  async function handleSim(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]) {
    const method = (req.method ?? "GET").toUpperCase();
    let body: unknown = {};
    try {
      const raw = (await readBody(req)).toString("utf8").trim();
      body = raw === "" ? {} : JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { message: "The control API takes a JSON body." } });
    }
    const result = await handleControl(core, method, segments.slice(1), url.searchParams, body);
    send(res, result.status, result.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const segments = url.pathname
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    try {
      if (segments[0] === "__sim") await handleSim(req, res, url, segments);
      else await handleGraph(req, res, url, segments);
    } catch (error) {
      console.error("[meta-simulator] request failed:", error);
      send(res, 500, { error: { message: "simulator failure", type: "OAuthException", code: 1 } });
    }
  }

  return {
    get url() {
      if (!baseUrl) throw new Error("The simulator is not listening yet: call listen() first.");
      return baseUrl;
    },
    async listen(port = 0, host = "127.0.0.1") {
      if (server) throw new Error("The simulator is already listening.");
      const created = createServer((req, res) => void handle(req, res));
      server = created;
      await new Promise<void>((resolve, reject) => {
        created.once("error", reject);
        created.listen(port, host, () => {
          created.off("error", reject);
          resolve();
        });
      });
      const address = created.address() as AddressInfo;
      const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
      baseUrl = `http://${urlHost}:${address.port}`;
      return { url: baseUrl, port: address.port };
    },
    async close() {
      core.tasks.cancelAll();
      const current = server;
      server = null;
      baseUrl = null;
      if (!current) return;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    reset: () => core.reset(),
    whenIdle: () => core.tasks.idle(),
    configure(config) {
      core.config = { ...core.config, ...config };
    },
    sentMessages: () => core.state.sentMessages,
    webhookDeliveries: () => core.webhooks.list(),
  };
}
