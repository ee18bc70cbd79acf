import { restContext } from "@/server/api/rest/context";
import { localJobsRest } from "@/server/api/rest/local-jobs";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

/** Background jobs held, released or settled by hand: local mode with inline jobs, admins only (local-jobs.ts). */
export async function POST(req: Request) {
  return localJobsRest(req, await restContext(), getEnv());
}
