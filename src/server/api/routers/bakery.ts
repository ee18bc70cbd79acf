import { createTRPCRouter, tenantProcedure } from "@/server/api/trpc";
import { dailyRatesWithThresholds } from "@/server/monitoring/delivery-rates";
import { getBakeryOverview } from "@/server/tenants/overview";

export const bakeryRouter = createTRPCRouter({
  /** The signed-in owner's bakery and its WhatsApp state. */
  overview: tenantProcedure.query(({ ctx }) => getBakeryOverview({ db: ctx.db, tenantId: ctx.tenantId })),
  /** The owner's bakery: 30 days of delivery, read, opt-out and API error rates, with the alert thresholds. */
  deliveryRates: tenantProcedure.query(({ ctx }) => dailyRatesWithThresholds({ db: ctx.db, tenantId: ctx.tenantId })),
});
