import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { listAuditActions, listAuditLog } from "@/server/audit/audit";

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z.object({
        action: z.string().max(100).optional(),
        tenantId: z.string().optional(),
        actor: z.string().trim().max(200).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input: { page, pageSize, ...filters } }) =>
      listAuditLog({
        db: ctx.db,
        filters: { ...filters, actor: filters.actor || undefined, action: filters.action || undefined },
        page,
        pageSize,
      }),
    ),
  actions: adminProcedure.query(({ ctx }) => listAuditActions({ db: ctx.db })),
});
