import { assignPhoneRest } from "@/server/api/rest/admin-whatsapp";
import { restContext } from "@/server/api/rest/context";

export const POST = async (req: Request, { params }: { params: Promise<{ id: string }> }) =>
  assignPhoneRest(req, await restContext(), (await params).id);
