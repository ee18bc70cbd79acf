import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/api-keys/api-keys";

export const apiKeysRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listApiKeys({ db: ctx.db, tenantId: ctx.tenantId })),
  /** The key is in this answer only; it is stored hashed. */
  create: tenantProcedure
    .input(
      z.object({
        name: z
          .string()
          .trim()
          .min(1, 'expected a name that says where the key is used, e.g. "Purchasing system"')
          .max(80, "expected at most 80 characters"),
      }),
    )
    .mutation(({ ctx, input }) =>
      createApiKey({ db: ctx.db, tenantId: ctx.tenantId, name: input.name, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),
  revoke: tenantProcedure
    .input(z.object({ apiKeyId: z.string().min(1, 'expected an API key id, e.g. "cm3..."') }))
    .mutation(({ ctx, input }) =>
      revokeApiKey({ db: ctx.db, tenantId: ctx.tenantId, apiKeyId: input.apiKeyId, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),
});
