import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { listTenantsWithWhatsApp } from "@/server/numbers/queries";

export const tenantsRouter = createTRPCRouter({
  /** Every bakery with its WhatsApp status; search by name, paged. */
  list: adminProcedure
    .input(
      z.object({
        search: z.string().trim().max(100).optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => listTenantsWithWhatsApp({ db: ctx.db, ...input, search: input.search || undefined })),
});
