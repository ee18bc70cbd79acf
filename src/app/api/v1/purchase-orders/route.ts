import { createPurchaseOrderRest } from "@/server/api/rest/tenant-api";
import { getDb } from "@/server/db";

export const POST = (req: Request) => createPurchaseOrderRest(req, { db: getDb() });
