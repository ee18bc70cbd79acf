/** The cost ledger, spend caps and shares of the shared account's limit (src/server/costs). Thin: validate, delegate. */
import { adminProcedure, createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import {
  allBakeriesMonthCost,
  bakeryMonthCost,
  broadcastCost,
  messageCost,
  monthSchema,
  rateCardAt,
  rateInputSchema,
  setRate,
} from "@/server/costs/ledger";
import { costSettingsInputSchema, listTenantCostSettings, setTenantCostSettings } from "@/server/costs/settings";
import { shareLeftToday } from "@/server/costs/share";

const month = z.object({ month: monthSchema }).optional();
const tenantId = z.string({ error: 'expected the id of a bakery, e.g. "cm3..."' }).min(1, 'expected the id of a bakery, e.g. "cm3..."');

export const costsRouter = createTRPCRouter({
  // a bakery's own (the tenant is always the session's)
  shareToday: tenantProcedure.query(({ ctx }) => shareLeftToday({ db: ctx.db, tenantId: ctx.tenantId })),
  monthSpend: tenantProcedure
    .input(month)
    .query(({ ctx, input }) => bakeryMonthCost({ db: ctx.db, tenantId: ctx.tenantId, month: input?.month })),
  messageCost: tenantProcedure
    .input(z.object({ messageId: z.string().min(1, "expected the id of a message") }))
    .query(({ ctx, input }) => messageCost({ db: ctx.db, tenantId: ctx.tenantId, messageId: input.messageId })),
  broadcastCost: tenantProcedure
    .input(z.object({ broadcastId: z.string().min(1, "expected the id of a broadcast") }))
    .query(({ ctx, input }) => broadcastCost({ db: ctx.db, tenantId: ctx.tenantId, broadcastId: input.broadcastId })),

  // the platform admin's
  adminOverview: adminProcedure.input(month).query(({ ctx, input }) => allBakeriesMonthCost({ db: ctx.db, month: input?.month })),
  bakeryMonthSpend: adminProcedure
    .input(z.object({ tenantId, month: monthSchema }))
    .query(({ ctx, input }) => bakeryMonthCost({ db: ctx.db, tenantId: input.tenantId, month: input.month })),
  rateCard: adminProcedure.query(async ({ ctx }) =>
    (await rateCardAt({ db: ctx.db })).map((r) => ({ ...r, rate: (r.rateMicros / 1_000_000).toFixed(4) })),
  ),
  setRate: adminProcedure
    .input(rateInputSchema)
    .mutation(({ ctx, input }) => setRate({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, input })),
  bakerySettings: adminProcedure.query(({ ctx }) => listTenantCostSettings({ db: ctx.db })),
  bakeryShare: adminProcedure
    .input(z.object({ tenantId }))
    .query(({ ctx, input }) => shareLeftToday({ db: ctx.db, tenantId: input.tenantId })),
  setBakerySettings: adminProcedure
    .input(costSettingsInputSchema.extend({ tenantId }))
    .mutation(({ ctx, input: { tenantId: id, ...settings } }) =>
      setTenantCostSettings({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, tenantId: id, input: settings }),
    ),
});
