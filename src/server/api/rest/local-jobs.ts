/**
 * `POST /api/local/jobs`, for specs and demos that must not race the background ticker. Local mode with inline jobs
 * only (the simulator, `npm start`, the e2e suite; anything else answers 404), admins only (session or
 * ADMIN_API_TOKEN): `hold` stops the ticker (returning once its running relays end), `release` starts it again,
 * `settle` runs every waiting job now and answers once none is left waiting or running.
 */
import { z } from "zod";
import type { RestContext } from "@/server/api/rest/admin-whatsapp";
import { assertStorableRequest, errorResponse, parseJsonBody, resolveAdminActor } from "@/server/api/rest/http";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";
import { isLocalMode } from "@/server/wiring";
import { holdBackgroundJobs, settleInlineJobs } from "@/server/wiring/ticker";

const body = z.object({
  action: z.enum(["hold", "release", "settle"], 'action: expected "hold", "release" or "settle", e.g. {"action": "settle"}'),
});

export async function localJobsRest(req: Request, ctx: RestContext, env: Pick<Env, "META_GRAPH_BASE_URL" | "RECADO_JOBS">) {
  try {
    if (!isLocalMode(env) || env.RECADO_JOBS !== "inline") {
      throw new AppError("NOT_FOUND", "Background jobs can be driven by hand only in local mode with RECADO_JOBS=inline.");
    }
    assertStorableRequest(req);
    await resolveAdminActor({
      db: ctx.db,
      authorization: req.headers.get("authorization"),
      session: ctx.session,
      adminApiToken: ctx.adminApiToken,
    });
    const { action } = await parseJsonBody(req, body);
    if (action === "settle") return Response.json(await settleInlineJobs(ctx.db));
    return Response.json(await holdBackgroundJobs(action === "hold"));
  } catch (error) {
    return errorResponse(error);
  }
}
