import { z } from "zod";
import { errorResponse, parseJsonBody, resolveAdminActor } from "@/server/api/rest/http";
import { restContext } from "@/server/api/rest/context";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { isLocalMode } from "@/server/wiring";
import { holdBackgroundJobs, settleInlineJobs } from "@/server/wiring/ticker";

export const dynamic = "force-dynamic";

const body = z.object({
  action: z.enum(["hold", "release", "settle"], 'action: expected "hold", "release" or "settle", e.g. {"action": "settle"}'),
});

/**
 * Local mode with inline jobs only (the simulator, `npm start`, the e2e suite), admins only (session or
 * ADMIN_API_TOKEN): `hold` stops the background ticker (returning once its running relays end), `release`
 * starts it again, `settle` runs every waiting job now and answers once none is left waiting or running.
 */
export async function POST(req: Request) {
  try {
    const env = getEnv();
    if (!isLocalMode(env) || env.RECADO_JOBS !== "inline") throw new AppError("NOT_FOUND", "Background jobs can be driven by hand only in local mode with RECADO_JOBS=inline.");
    const ctx = await restContext();
    await resolveAdminActor({ db: ctx.db, authorization: req.headers.get("authorization"), session: ctx.session, adminApiToken: ctx.adminApiToken });
    const { action } = await parseJsonBody(req, body);
    if (action === "settle") return Response.json(await settleInlineJobs(ctx.db));
    return Response.json(await holdBackgroundJobs(action === "hold"));
  } catch (error) {
    return errorResponse(error);
  }
}
