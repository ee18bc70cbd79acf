import { getEnv } from "@/server/env";
import { createGraphClient, type GraphClient } from "@/server/whatsapp";

let client: GraphClient | undefined;

/** The Graph client for the shared (master) account, configured from the environment. */
export function getGraphClient(): GraphClient {
  const env = getEnv();
  client ??= createGraphClient({ baseUrl: env.META_GRAPH_BASE_URL, apiVersion: env.META_GRAPH_API_VERSION, accessToken: env.META_ACCESS_TOKEN });
  return client;
}
