import type { Session } from "next-auth";
import { activeSessionUser } from "@/server/auth/session-user";
import { assertStorableRequest, errorResponse } from "@/server/api/rest/http";
import { recipientReportCsv } from "@/server/broadcasts/progress";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/** GET /api/broadcasts/{id}/recipients.csv: the per-recipient report of one of the signed-in owner's broadcasts. */
export async function broadcastReportRest(req: Request, ctx: { db: Db; session: Session | null }, broadcastId: string) {
  try {
    assertStorableRequest(req, { id: broadcastId });
    if (!ctx.session) throw new AppError("UNAUTHORIZED", "Sign in to download the report.");
    const user = await activeSessionUser(ctx.db, ctx.session.user);
    if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
    // the bakery is the session user's, read from the database
    if (user.role !== "TENANT_OWNER" || !user.tenantId) throw new AppError("FORBIDDEN", "Broadcast reports are for bakery owners.");
    const csv = await recipientReportCsv({ db: ctx.db, tenantId: user.tenantId, broadcastId });
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="broadcast-${broadcastId}-recipients.csv"`,
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
