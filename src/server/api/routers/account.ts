import { createTRPCRouter, protectedProcedure, z } from "@/server/api/trpc";
import { locales } from "@/i18n/locales";
import { changePassword, minimumPasswordLength } from "@/server/auth/password-change";

export const accountRouter = createTRPCRouter({
  /** Who is signed in, with the bakery they own (if any). */
  me: protectedProcedure.query(async ({ ctx }) => {
    const tenant = ctx.user.tenantId
      ? await ctx.db.tenant.findUnique({ where: { id: ctx.user.tenantId }, select: { id: true, name: true } })
      : null;
    const profile = await ctx.db.user.findUnique({
      where: { id: ctx.user.id },
      select: { notificationPhone: true, notificationPhoneConfirmedAt: true, locale: true },
    });
    return {
      id: ctx.user.id,
      email: ctx.user.email,
      name: ctx.user.name,
      role: ctx.user.role,
      tenant,
      notificationPhone: profile?.notificationPhone ?? null,
      notificationPhoneConfirmedAt: profile?.notificationPhoneConfirmedAt ?? null,
      /** the language the user chose, or null while the browser's languages decide (src/i18n/locales.ts) */
      locale: profile?.locale ?? null,
    };
  }),

  /** The interface language the user chose; kept for every device they sign in on. */
  setLocale: protectedProcedure
    .input(z.object({ locale: z.enum(locales, { error: `expected one of ${locales.join(", ")}, e.g. "es"` }) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.user.update({ where: { id: ctx.user.id }, data: { locale: input.locale } });
      return { locale: input.locale };
    }),

  /** A new password; every session of the user ends (sign in again with the new one). */
  changePassword: protectedProcedure
    .input(
      z.object({
        currentPassword: z.string().min(1, "expected your current password").max(200),
        newPassword: z
          .string()
          .min(minimumPasswordLength, `expected at least ${minimumPasswordLength} characters, e.g. three unrelated words`)
          .max(200, "expected at most 200 characters"),
      }),
    )
    .mutation(({ ctx, input }) => changePassword({ db: ctx.db, userId: ctx.user.id, ...input })),
});
