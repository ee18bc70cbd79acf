import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";

export const accountRouter = createTRPCRouter({
  /** Who is signed in, with the bakery they own (if any). */
  me: protectedProcedure.query(async ({ ctx }) => {
    const tenant = ctx.user.tenantId
      ? await ctx.db.tenant.findUnique({ where: { id: ctx.user.tenantId }, select: { id: true, name: true } })
      : null;
    return { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.role, tenant };
  }),
});
