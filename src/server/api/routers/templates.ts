import { adminProcedure, createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { createTemplate, listAllTemplates, listTenantTemplates, syncTenantTemplates } from "@/server/templates/templates";
import { messageLanguageCodes } from "@/lib/languages";

export const templatesRouter = createTRPCRouter({
  /** the bakery's own templates and the platform's (templates/ownership.ts) */
  list: tenantProcedure.query(({ ctx }) => listTenantTemplates({ db: ctx.db, tenantId: ctx.tenantId })),
  /** admins: every template of every account, with its owner */
  adminList: adminProcedure.query(({ ctx }) => listAllTemplates({ db: ctx.db })),
  sync: tenantProcedure.mutation(({ ctx }) => syncTenantTemplates({ db: ctx.db, tenantId: ctx.tenantId })),
  create: tenantProcedure
    .input(
      z.object({
        name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected lowercase letters, digits and underscores, e.g. "order_ready"'),
        language: z.enum(messageLanguageCodes, { error: `expected one of ${messageLanguageCodes.join(", ")}, e.g. "es"` }),
        category: z.enum(["UTILITY", "MARKETING"], { error: "expected UTILITY or MARKETING" }),
        bodyText: z
          .string()
          .trim()
          .min(1, 'expected the message text, e.g. "Hola {{1}}, tu pedido está listo"')
          .max(1024, "expected at most 1,024 characters"),
        examples: z.array(z.string().trim().min(1, 'expected an example value for each placeholder, e.g. "Ana"').max(200)).max(20),
      }),
    )
    .mutation(({ ctx, input }) =>
      createTemplate({ db: ctx.db, tenantId: ctx.tenantId, actor: { userId: ctx.user.id, label: ctx.user.email }, ...input }),
    ),
});
