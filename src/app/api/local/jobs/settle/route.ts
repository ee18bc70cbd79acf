import { errorResponse, resolveAdminActor } from "@/server/api/rest/http";
import { restContext } from "@/server/api/rest/context";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { isLocalMode } from "@/server/wiring";
import { settleInlineJobs } from "@/server/wiring/ticker";

export const dynamic = "force-dynamic";

/**
 * Local mode with inline jobs only (the simulator, `npm start`, the e2e suite): runs every waiting background
 * job now and answers once none is left waiting or running. Admins only (session or ADMIN_API_TOKEN).
 */
export async function POST(req: Request) {
  try {
    const env = getEnv();
    if (!isLocalMode(env) || env.RECADO_JOBS !== "inline") throw new AppError("NOT_FOUND", "Background jobs can be settled by hand only in local mode with RECADO_JOBS=inline.");
    const ctx = await restContext();
    await resolveAdminActor({ db: ctx.db, authorization: req.headers.get("authorization"), session: ctx.session, adminApiToken: ctx.adminApiToken });
    return Response.json(await settleInlineJobs(ctx.db));
  } catch (error) {
    return errorResponse(error);
  }
}
