import { getServerAuthSession } from "@/server/auth/options";
import { assertStorableRequest, errorResponse } from "@/server/api/rest/http";
import { recipientReportCsv } from "@/server/broadcasts/progress";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors";
import { activeSessionUser } from "@/server/auth/session-user";

export const dynamic = "force-dynamic";

/** The per-recipient report of one of the signed-in owner's broadcasts (the bakery is the session's). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    assertStorableRequest(req, await params);
    const session = await getServerAuthSession();
    if (!session) throw new AppError("UNAUTHORIZED", "Sign in to download the report.");
    const db = getDb();
    const user = await activeSessionUser(db, session.user);
    if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
    if (user.role !== "TENANT_OWNER" || !user.tenantId) throw new AppError("FORBIDDEN", "Broadcast reports are for bakery owners.");
    const { id } = await params;
    const csv = await recipientReportCsv({ db, tenantId: user.tenantId, broadcastId: id });
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="broadcast-${id}-recipients.csv"` },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
