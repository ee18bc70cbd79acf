/** Outbound messages of the last days by how far they got: one bakery's (owner overview) or all (admin overview). */
import type { Db } from "@/server/db";

export const figuresDays = 7;

export type DeliveryFigures = { days: number; total: number; onTheWay: number; delivered: number; read: number; failed: number };

export async function deliveryFigures({
  db,
  tenantId,
  now = new Date(),
}: {
  db: Db;
  tenantId?: string;
  now?: Date;
}): Promise<DeliveryFigures> {
  const since = new Date(now.getTime() - figuresDays * 24 * 3600 * 1000);
  const rows = await db.message.groupBy({
    by: ["status"],
    where: { ...(tenantId ? { tenantId } : {}), direction: "OUTBOUND", createdAt: { gte: since } },
    _count: { _all: true },
  });
  const count = (...statuses: string[]) =>
    rows.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  return {
    days: figuresDays,
    total: count("PENDING", "ACCEPTED", "SENT", "DELIVERED", "READ", "FAILED"),
    onTheWay: count("PENDING", "ACCEPTED", "SENT"),
    delivered: count("DELIVERED"),
    read: count("READ"),
    failed: count("FAILED"),
  };
}
