import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { acknowledgeAlert, listAlerts, listOpenAlerts } from "@/server/alerts/alerts";

export const alertsRouter = createTRPCRouter({
  open: adminProcedure.query(({ ctx }) => listOpenAlerts({ db: ctx.db })),
  /** The alerts page: open and acknowledged alerts (who acknowledged, when), filterable. */
  history: adminProcedure
    .input(
      z.object({
        status: z.enum(["open", "acknowledged", "all"], { error: "expected open, acknowledged or all" }).default("all"),
        severity: z.enum(["CRITICAL", "WARNING", "INFO"], { error: "expected CRITICAL, WARNING or INFO" }).optional(),
        kind: z.string().trim().max(60, 'expected an alert kind, e.g. "quality_dropped"').optional(),
        tenantId: z.string().trim().max(60, 'expected a bakery id, e.g. "cm3..."').optional(),
        page: z.number().int().min(1, "expected a page number from 1, e.g. 2").default(1),
      }),
    )
    .query(({ ctx, input }) => listAlerts({ db: ctx.db, ...input, kind: input.kind || undefined, tenantId: input.tenantId || undefined })),
  acknowledge: adminProcedure
    .input(z.object({ alertId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      acknowledgeAlert({ db: ctx.db, alertId: input.alertId, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),
});
