import { broadcastReportRest } from "@/server/api/rest/broadcast-report";
import { getServerAuthSession } from "@/server/auth/options";
import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

/** The per-recipient report of one of the signed-in owner's broadcasts (the bakery is the session's). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return broadcastReportRest(req, { db: getDb(), session: await getServerAuthSession().catch(() => null) }, (await params).id);
}
