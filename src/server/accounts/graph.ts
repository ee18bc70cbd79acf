/**
 * Which Graph client talks for a business account or phone number: the shared (master) account uses the
 * system-user token from the environment; a bakery's own account (Embedded Signup) uses its token, stored
 * encrypted. Every domain service that calls Meta for a number gets its client here.
 */
import type { BusinessAccountKind } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { getGraphClient } from "@/server/graph-client";
import { createGraphClient, type GraphClient } from "@/server/whatsapp";
import { decryptSecret } from "@/server/accounts/secrets";

export type AccountForGraph = { id: string; kind: BusinessAccountKind; wabaId: string; accessTokenEncrypted: string | null; updatedAt: Date };

const tenantClients = new Map<string, { version: number; client: GraphClient }>();

export function graphClientForAccount(account: AccountForGraph): GraphClient {
  if (account.kind === "MASTER") return getGraphClient();
  if (!account.accessTokenEncrypted) {
    throw new AppError("TOKEN_EXPIRED", "This WhatsApp account has no access token. Reconnect WhatsApp in Settings.", { wabaId: account.wabaId });
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

/** The client for the account that owns a phone number (by our row id). */
export async function graphClientForPhoneNumber({ db, phoneNumberId }: { db: Db; phoneNumberId: string }): Promise<GraphClient> {
  const number = await db.phoneNumber.findUnique({ where: { id: phoneNumberId }, select: { businessAccount: true } });
  if (!number) throw new AppError("NOT_FOUND", "Phone number not found.", { phoneNumberId });
  return graphClientForAccount(number.businessAccount);
}
