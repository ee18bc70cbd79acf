import { unassignPhoneRest } from "@/server/api/rest/admin-whatsapp";
import { restContext } from "@/server/api/rest/context";

export const DELETE = async (req: Request, { params }: { params: Promise<{ id: string }> }) =>
  unassignPhoneRest(req, await restContext(), (await params).id);
