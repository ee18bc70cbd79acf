import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";

export const accountRouter = createTRPCRouter({
  /** Who is signed in, with the bakery they own (if any). */
  me: protectedProcedure.query(async ({ ctx }) => {
    const tenant = ctx.user.tenantId
      ? await ctx.db.tenant.findUnique({ where: { id: ctx.user.tenantId }, select: { id: true, name: true } })
      : null;
    const profile = await ctx.db.user.findUnique({ where: { id: ctx.user.id }, select: { notificationPhone: true, notificationPhoneConfirmedAt: true } });
    return { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.role, tenant, notificationPhone: profile?.notificationPhone ?? null, notificationPhoneConfirmedAt: profile?.notificationPhoneConfirmedAt ?? null };
  }),
});
