import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { acknowledgeAlert, listOpenAlerts } from "@/server/alerts/alerts";

export const alertsRouter = createTRPCRouter({
  open: adminProcedure.query(({ ctx }) => listOpenAlerts({ db: ctx.db })),
  acknowledge: adminProcedure
    .input(z.object({ alertId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      acknowledgeAlert({ db: ctx.db, alertId: input.alertId, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),
});
