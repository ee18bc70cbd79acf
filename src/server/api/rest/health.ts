/**
 * `GET /api/health`. Without credentials (load balancers, orchestrators): `{"status": "healthy"}` with 200 when
 * the database answers, `{"status": "unhealthy"}` with 503 when it does not — nothing else. With the admin token
 * (`Authorization: Bearer $ADMIN_API_TOKEN`) or an admin's session: the named checks of
 * src/server/monitoring/health-check.ts as well. A wrong token is refused (401); an owner's session gets the
 * anonymous answer.
 */
import type { RestContext } from "@/server/api/rest/admin-whatsapp";
import { assertStorableRequest, errorResponse, resolveAdminActor } from "@/server/api/rest/http";
import { isAppError } from "@/server/errors";
import { databaseAnswers, healthReport, type GraphConnectionProbe, type HealthCache } from "@/server/monitoring/health-check";

export type HealthDeps = { cache: HealthCache; probe: GraphConnectionProbe };

const noStore = { "Cache-Control": "no-store" };

/** Whether the caller is an admin; a request without a token and without an admin's session is anonymous. */
async function isAdminCaller(req: Request, ctx: RestContext): Promise<boolean> {
  const authorization = req.headers.get("authorization");
  if (!authorization && !ctx.session?.user?.id) return false;
  try {
    await resolveAdminActor({ db: ctx.db, authorization, session: ctx.session, adminApiToken: ctx.adminApiToken });
    return true;
  } catch (error) {
    // a session that is not an admin's (or has ended) is anonymous here; a wrong token is refused
    if (!authorization && isAppError(error) && (error.code === "FORBIDDEN" || error.code === "UNAUTHORIZED")) return false;
    throw error;
  }
}

export async function healthRest(req: Request, ctx: RestContext, deps: HealthDeps): Promise<Response> {
  try {
    assertStorableRequest(req);
    if (!(await databaseAnswers(ctx.db))) return Response.json({ status: "unhealthy" }, { status: 503, headers: noStore });
    if (!(await isAdminCaller(req, ctx))) return Response.json({ status: "healthy" }, { headers: noStore });
    const report = await healthReport({ db: ctx.db, cache: deps.cache, probe: deps.probe });
    return Response.json(report, { headers: noStore });
  } catch (error) {
    // the database went away between the readiness check and the counts
    if (!(await databaseAnswers(ctx.db))) return Response.json({ status: "unhealthy" }, { status: 503, headers: noStore });
    return errorResponse(error);
  }
}
