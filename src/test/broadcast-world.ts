/** A bakery that can send as far as the database is concerned: WhatsApp on, a number, approved po_notification. */
import type { Db } from "@/server/db";
import { createMasterNumber } from "@/test/fixtures";

export async function makeSendable(db: Db, tenantId: string) {
  const settings = await db.whatsAppSettings.findUniqueOrThrow({ where: { tenantId } });
  let phoneNumberId = settings.phoneNumberId;
  if (!phoneNumberId) {
    const number = await createMasterNumber(db);
    phoneNumberId = number.id;
  }
  await db.whatsAppSettings.update({ where: { tenantId }, data: { enabled: true, phoneNumberId, language: "es" } });
  const number = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId } });
  await db.messageTemplate.upsert({
    where: { businessAccountId_name_language: { businessAccountId: number.businessAccountId, name: "po_notification", language: "es" } },
    update: {},
    create: {
      businessAccountId: number.businessAccountId,
      metaTemplateId: "900000000000001",
      name: "po_notification",
      language: "es",
      category: "UTILITY",
      status: "APPROVED",
      parameterNames: ["1", "2", "3"],
      bodyText: "Hola {{1}}, pedido {{2}} por {{3}}.",
    },
  });
  return { phoneNumberId };
}
