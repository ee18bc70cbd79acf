import { adminProcedure, createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { contactExportCsv, eraseContact, eraseOwnerAccount, exportContactData, exportOwnerAccount } from "@/server/compliance/gdpr";

const contactId = z.string({ error: 'expected a contact id, e.g. "cm3..."' }).min(1, 'expected a contact id, e.g. "cm3..."');
const userId = z.string({ error: 'expected the user id of a bakery owner, e.g. "cm3..."' }).min(1, 'expected a user id, e.g. "cm3..."');
const fileDate = () => new Date().toISOString().slice(0, 10);

/** GDPR requests: exports are mutations because each one is written to the audit trail. */
export const gdprRouter = createTRPCRouter({
  /** Everything about one contact of the caller's bakery, as a file to download (JSON or CSV). */
  exportContact: tenantProcedure
    .input(z.object({ contactId, format: z.enum(["json", "csv"], { error: "expected json or csv" }).default("json") }))
    .mutation(async ({ ctx, input }) => {
      const data = await exportContactData({
        db: ctx.db,
        tenantId: ctx.tenantId,
        contactId: input.contactId,
        actor: { userId: ctx.user.id, label: ctx.user.email },
      });
      const fileName = `contact-${input.contactId}-${fileDate()}.${input.format}`;
      return input.format === "csv"
        ? { fileName, mimeType: "text/csv", content: contactExportCsv(data) }
        : { fileName, mimeType: "application/json", content: JSON.stringify(data, null, 2) };
    }),

  /** Erases a contact of the caller's bakery; its consent records stay as proof with the number hashed. */
  eraseContact: tenantProcedure.input(z.object({ contactId })).mutation(({ ctx, input }) =>
    eraseContact({
      db: ctx.db,
      tenantId: ctx.tenantId,
      contactId: input.contactId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),

  /** Admin: what Recado holds about one bakery owner, as a JSON file. */
  exportOwner: adminProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
    const data = await exportOwnerAccount({ db: ctx.db, userId: input.userId, actor: { userId: ctx.user.id, label: ctx.user.email } });
    return { fileName: `owner-${input.userId}-${fileDate()}.json`, mimeType: "application/json", content: JSON.stringify(data, null, 2) };
  }),

  /** Admin: erases a bakery owner's account (the bakery and its business data stay). */
  eraseOwner: adminProcedure
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) =>
      eraseOwnerAccount({ db: ctx.db, userId: input.userId, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),
});
