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
  });
  return masterClient;
}

const tenantClients = new Map<string, { version: number; client: GraphClient }>();

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
  });
  tenantClients.set(account.id, { version, client });
  return client;
}
