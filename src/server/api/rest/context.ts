import { getServerAuthSession } from "@/server/auth/options";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import type { RestContext } from "@/server/api/rest/admin-whatsapp";

/** The request's REST context: database, session (if any) and the admin API token to compare against. */
export async function restContext(): Promise<RestContext> {
  return { db: getDb(), session: await getServerAuthSession(), adminApiToken: getEnv().ADMIN_API_TOKEN };
}
