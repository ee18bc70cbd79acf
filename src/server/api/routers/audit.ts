import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { auditLogCsv, listAuditActions, listAuditLog, listAuditTenants, listSends } from "@/server/audit/audit";

const filtersInput = z.object({
  action: z.string().max(100).optional(),
  tenantId: z.string().optional(),
  actor: z.string().trim().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});

const cleanFilters = (filters: z.infer<typeof filtersInput>) => ({
  ...filters,
  actor: filters.actor || undefined,
  action: filters.action || undefined,
  tenantId: filters.tenantId || undefined,
});

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      filtersInput.extend({
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input: { page, pageSize, ...filters } }) =>
      listAuditLog({
        db: ctx.db,
        filters: cleanFilters(filters),
        page,
        pageSize,
      }),
    ),
  actions: adminProcedure.query(({ ctx }) => listAuditActions({ db: ctx.db })),
  /** The bakeries that appear in the trail, for the filter. */
  tenants: adminProcedure.query(({ ctx }) => listAuditTenants({ db: ctx.db })),
  /** Every send, from the message log (one bakery or all), for the audit page's Sends view. */
  sends: adminProcedure
    .input(
      z.object({
        tenantId: z.string().optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) =>
      listSends({ db: ctx.db, tenantId: input.tenantId || undefined, page: input.page, pageSize: input.pageSize }),
    ),
  /** The filtered trail as a CSV file to download (newest first, at most auditCsvLimit entries). */
  exportCsv: adminProcedure.input(filtersInput).mutation(async ({ ctx, input }) => ({
    fileName: `audit-${new Date().toISOString().slice(0, 10)}.csv`,
    mimeType: "text/csv",
    content: await auditLogCsv({ db: ctx.db, filters: cleanFilters(input) }),
  })),
});
