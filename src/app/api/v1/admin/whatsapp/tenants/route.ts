import { listTenantsRest } from "@/server/api/rest/admin-whatsapp";
import { restContext } from "@/server/api/rest/context";

export const dynamic = "force-dynamic";
export const GET = async (req: Request) => listTenantsRest(req, await restContext());
