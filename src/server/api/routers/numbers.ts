import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { getGraphClient } from "@/server/accounts/graph";
import { assignPhoneNumber, unassignPhoneNumber } from "@/server/numbers/assignment";
import { listMasterPhoneNumbers } from "@/server/numbers/queries";
import { syncMasterPhoneNumbers } from "@/server/numbers/sync";
import { getEnv } from "@/server/env";

const id = (what: string) => z.string().min(1, `expected the ${what} id`);

export const numbersRouter = createTRPCRouter({
  /** The shared account's numbers from our cache, with their bakery. */
  list: adminProcedure.query(({ ctx }) => listMasterPhoneNumbers({ db: ctx.db })),

  /** Re-reads every number of the shared account from the Graph API. */
  refresh: adminProcedure.mutation(({ ctx }) =>
    syncMasterPhoneNumbers({ db: ctx.db, graph: getGraphClient(), wabaId: getEnv().META_MASTER_WABA_ID }),
  ),

  assign: adminProcedure
    .input(z.object({ tenantId: id("bakery"), phoneNumberId: id("phone number"), acknowledgeWarnings: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => assignPhoneNumber({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, ...input })),

  unassign: adminProcedure
    .input(z.object({ tenantId: id("bakery") }))
    .mutation(({ ctx, input }) =>
      unassignPhoneNumber({ db: ctx.db, actor: { userId: ctx.user.id, label: ctx.user.email }, tenantId: input.tenantId }),
    ),
});
