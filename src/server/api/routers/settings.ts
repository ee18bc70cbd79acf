import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { messageLanguageCodes } from "@/lib/languages";
import { getWhatsAppSettings, updateWhatsAppSettings } from "@/server/tenants/whatsapp-settings";

export const settingsRouter = createTRPCRouter({
  /** The owner's own WhatsApp settings; the tenant is the session's, never an input. */
  whatsapp: tenantProcedure.query(({ ctx }) => getWhatsAppSettings({ db: ctx.db, tenantId: ctx.tenantId })),

  updateWhatsapp: tenantProcedure
    .input(
      z
        .object({
          enabled: z.boolean().optional(),
          language: z.enum(messageLanguageCodes, { error: `expected one of ${messageLanguageCodes.join(", ")}, e.g. "es"` }).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      updateWhatsAppSettings({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, tenantId: ctx.tenantId, ...input }),
    ),
});
