/**
 * `GET /api/metrics`: Recado's figures in Prometheus' text format (src/server/monitoring/metrics.ts), for the admin
 * token (`Authorization: Bearer $ADMIN_API_TOKEN`, what a Prometheus scrape job sends) or an admin's session.
 */
import type { RestContext } from "@/server/api/rest/admin-whatsapp";
import { assertStorableRequest, errorResponse, resolveAdminActor } from "@/server/api/rest/http";
import type { MetricsRegistry } from "@/server/monitoring/metrics";

export async function metricsRest(req: Request, ctx: RestContext, metrics: MetricsRegistry): Promise<Response> {
  try {
    assertStorableRequest(req);
    await resolveAdminActor({
      db: ctx.db,
      authorization: req.headers.get("authorization"),
      session: ctx.session,
      adminApiToken: ctx.adminApiToken,
    });
    const text = await metrics.scrape(ctx.db);
    return new Response(text, { headers: { "content-type": metrics.registry.contentType, "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
