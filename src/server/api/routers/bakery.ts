import { createTRPCRouter, tenantProcedure } from "@/server/api/trpc";
import { getBakeryOverview } from "@/server/tenants/overview";

export const bakeryRouter = createTRPCRouter({
  /** The signed-in owner's bakery and its WhatsApp state. */
  overview: tenantProcedure.query(({ ctx }) => getBakeryOverview({ db: ctx.db, tenantId: ctx.tenantId })),
});
