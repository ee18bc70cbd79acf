import { adminProcedure, createTRPCRouter, protectedProcedure, tenantProcedure, z } from "@/server/api/trpc";
import { messageLanguageCodes } from "@/lib/languages";
import { getSupportContact, supportContactSchema, updateSupportContact } from "@/server/platform/support-contact";
import { getWhatsAppSettings, updateTimeZone, updateWhatsAppSettings } from "@/server/tenants/whatsapp-settings";

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

  /** The bakery's time zone (owner only): scheduled broadcasts are typed, shown and started in it. */
  updateTimeZone: tenantProcedure
    .input(z.object({ timeZone: z.string().trim().min(1, 'expected a time zone, e.g. "Europe/Madrid"').max(64) }).strict())
    .mutation(({ ctx, input }) =>
      updateTimeZone({
        db: ctx.db,
        actor: { userId: ctx.user.id, label: ctx.user.email },
        tenantId: ctx.tenantId,
        timeZone: input.timeZone,
      }),
    ),

  /** How to reach support (e-mail and/or page), for every signed-in user: owners see it as links. */
  supportContact: protectedProcedure.query(({ ctx }) => getSupportContact({ db: ctx.db })),

  /** The platform admin sets the support e-mail and page (empty clears one). */
  updateSupportContact: adminProcedure
    .input(supportContactSchema)
    .mutation(({ ctx, input }) =>
      updateSupportContact({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, email: input.email, url: input.url }),
    ),
});
