import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { endAllSessions } from "@/server/auth/session-user";
import { dailyRatesWithThresholds } from "@/server/monitoring/delivery-rates";
import { countChecks } from "@/server/monitoring/health-check";
import { getThresholds, thresholdChangeSchema, updateThreshold } from "@/server/monitoring/thresholds";
import { getPlatformStats } from "@/server/tenants/overview";
import { listQuarantinedItems, rerunQuarantinedItem } from "@/server/webhooks/quarantine";
import { webhookHandlers } from "@/server/wiring";

export const adminRouter = createTRPCRouter({
  /** Platform-wide counts for the admin overview. */
  stats: adminProcedure.query(({ ctx }) => getPlatformStats({ db: ctx.db })),
  /** Webhook items in quarantine: how many, and the latest with their reason and raw item. */
  quarantinedWebhookItems: adminProcedure.query(({ ctx }) => listQuarantinedItems({ db: ctx.db })),
  /** Re-runs one quarantined item once its cause is fixed (webhooks/quarantine.ts). */
  rerunWebhookItem: adminProcedure
    .input(z.object({ itemId: z.string().min(1, "expected the id of a quarantined webhook item") }))
    .mutation(({ ctx, input }) =>
      rerunQuarantinedItem({
        db: ctx.db,
        handlers: webhookHandlers,
        itemId: input.itemId,
        actor: { userId: ctx.user.id, label: ctx.user.email },
      }),
    ),
  /** 30 days of delivery, read, opt-out and API error rates, the platform's or one bakery's, with the thresholds. */
  deliveryRates: adminProcedure
    .input(z.object({ tenantId: z.string().min(1, "tenantId: expected a bakery's id").optional() }).optional())
    .query(({ ctx, input }) => dailyRatesWithThresholds({ db: ctx.db, tenantId: input?.tenantId })),
  /** The job outbox and webhook backlogs and the messages waiting for Meta, as /api/health counts them. */
  backlog: adminProcedure.query(async ({ ctx }) => {
    const counts = await countChecks(ctx.db);
    return { jobOutbox: counts.job_outbox, webhooks: counts.webhooks, pendingMessages: counts.pending_messages };
  }),
  /** The delivery metrics' alert thresholds (defaults or as an admin set them). */
  metricThresholds: adminProcedure.query(({ ctx }) => getThresholds({ db: ctx.db })),
  /** Changes one metric's threshold and minimum sample (audited with before and after). */
  updateMetricThreshold: adminProcedure
    .input(thresholdChangeSchema)
    .mutation(({ ctx, input }) => updateThreshold({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, change: input })),
  /** Ends every session of a user (a lost laptop, a leaked cookie): their next request must sign in again. */
  signOutEverywhere: adminProcedure
    .input(z.object({ userId: z.string().min(1, "expected the id of the user to sign out") }))
    .mutation(async ({ ctx, input }) => {
      await endAllSessions(ctx.db, input.userId);
      return { signedOut: true as const };
    }),
});
