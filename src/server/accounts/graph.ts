/**
 * Which Graph client talks for a business account or phone number: the shared (master) account uses the
 * system-user token from the environment; a bakery's own account (Embedded Signup) uses its token, stored
 * encrypted. Every domain service that calls Meta for a number gets its client here.
 */
import type { BusinessAccountKind } from "@/generated/prisma/enums";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { createGraphClient, type GraphClient } from "@/server/whatsapp";
import { decryptSecret } from "@/server/accounts/secrets";
import { Agent } from "undici";

export type AccountForGraph = {
  id: string;
  kind: BusinessAccountKind;
  wabaId: string;
  accessTokenEncrypted: string | null;
  updatedAt: Date;
};

let masterClient: GraphClient | undefined;

/** The Graph client for the shared (master) account, configured from the environment. */
export function getGraphClient(): GraphClient {
  const env = getEnv();
  masterClient ??= createGraphClient({
    baseUrl: env.META_GRAPH_BASE_URL,
    apiVersion: env.META_GRAPH_API_VERSION,
    accessToken: env.META_ACCESS_TOKEN,
    fetchImpl: dispatcherFetch(sharedAgent()),
  });
  return masterClient;
}

const tenantClients = new Map<string, { version: number; client: GraphClient }>();

/**
 * Keep-alive connection pools for sends at a number's rate, one per pool size: a broadcast's calls reuse open
 * connections instead of opening one per message. Sized to the rate: at 1,000 msg/s and Meta answering within
 * about 100 ms, some 100 calls are in flight at once.
 */
const pools = new Map<number, Agent>();

export function connectionsForRate(ratePerSecond: number) {
  return Math.min(256, Math.max(8, Math.ceil(ratePerSecond * 0.15)));
}

function pooledFetch(ratePerSecond: number): typeof fetch {
  const connections = connectionsForRate(ratePerSecond);
  let agent = pools.get(connections);
  if (!agent) pools.set(connections, (agent = new Agent({ connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 })));
  return dispatcherFetch(agent);
}

/** The keep-alive pool of every other Graph call (single sends, reads), as many connections as calls in flight. */
let agentForCalls: Agent | undefined;
const sharedAgent = () => (agentForCalls ??= new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 }));

/**
 * The part of `fetch` the Graph client uses (method, headers, a string body, a signal; ok, status, headers.get,
 * text), on undici's `request` over `agent`: a send then costs no WHATWG streams, Headers or Response objects,
 * about a third of the Node CPU time of a call (measured by bench:send). Failures look as fetch's do to the
 * client's classification (whatsapp/client.ts): an aborted signal throws its reason (a TimeoutError), anything else
 * a TypeError whose cause carries the code (ECONNREFUSED and the like: the connection was never made).
 */
export function dispatcherFetch(agent: Agent): typeof fetch {
  return (async (input: string | URL, init: RequestInit = {}) => {
    const url = typeof input === "string" ? new URL(input) : input;
    const signal = init.signal ?? undefined;
    try {
      const { statusCode, headers, body } = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? "GET") as "GET",
        headers: init.headers as Record<string, string> | undefined,
        body: init.body as string | undefined,
        signal,
      });
      const text = await body.text();
      return {
        ok: statusCode >= 200 && statusCode < 300,
        status: statusCode,
        headers: {
          get(name: string) {
            const value = headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        },
        text: async () => text,
      } as unknown as Response;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new TypeError("fetch failed", { cause: error });
    }
  }) as unknown as typeof fetch;
}

const pooledClients = new Map<string, { version: number; client: GraphClient }>();

/**
 * The Graph client of an account for sending at `ratePerSecond` (a broadcast): the same client as
 * graphClientForAccount, over a keep-alive pool sized to the rate.
 */
export function pooledGraphClientForAccount(account: AccountForGraph, ratePerSecond: number): GraphClient {
  const env = getEnv();
  const accessToken = account.kind === "MASTER" ? env.META_ACCESS_TOKEN : null;
  if (!accessToken && !account.accessTokenEncrypted) return graphClientForAccount(account); // throws TOKEN_EXPIRED
  const version = account.updatedAt.getTime();
  const key = `${account.id}:${connectionsForRate(ratePerSecond)}:${env.META_GRAPH_BASE_URL}`;
  const cached = pooledClients.get(key);
  if (cached && cached.version === version) return cached.client;
  const client = createGraphClient({
    baseUrl: env.META_GRAPH_BASE_URL,
    apiVersion: env.META_GRAPH_API_VERSION,
    accessToken: accessToken ?? decryptSecret(account.accessTokenEncrypted!),
    fetchImpl: pooledFetch(ratePerSecond),
  });
  pooledClients.set(key, { version, client });
  return client;
}

export function graphClientForAccount(account: AccountForGraph): GraphClient {
  if (account.kind === "MASTER") return getGraphClient();
  if (!account.accessTokenEncrypted) {
    throw new AppError("TOKEN_EXPIRED", "This WhatsApp account has no access token. Reconnect WhatsApp in Settings.", {
      wabaId: account.wabaId,
    });
  }
  const version = account.updatedAt.getTime();
  const cached = tenantClients.get(account.id);
  if (cached && cached.version === version) return cached.client;
  const env = getEnv();
  const client = createGraphClient({
    baseUrl: env.META_GRAPH_BASE_URL,
    apiVersion: env.META_GRAPH_API_VERSION,
    accessToken: decryptSecret(account.accessTokenEncrypted),
    fetchImpl: dispatcherFetch(sharedAgent()),
  });
  tenantClients.set(account.id, { version, client });
  return client;
}
