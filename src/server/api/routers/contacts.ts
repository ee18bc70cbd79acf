import { adminProcedure, createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import {
  clearNotOnWhatsApp,
  consentHistory,
  createContact,
  exportContactsCsv,
  listContacts,
  listTags,
  optInMethods,
  setConsent,
  tagLimits,
  updateContactTags,
} from "@/server/contacts/contacts";
import { locales } from "@/i18n/locales";
import { importContactRows, importContactsCsv, importLimits } from "@/server/contacts/import";

const contactId = z.string({ error: 'expected a contact id, e.g. "cm3..."' }).min(1, 'expected a contact id, e.g. "cm3..."');
const tagList = z
  .array(z.string().max(100, `expected a tag of at most ${tagLimits.length} characters, e.g. "clientes"`))
  .max(tagLimits.perContact, `expected at most ${tagLimits.perContact} tags`)
  .default([]);

export const contactsRouter = createTRPCRouter({
  list: tenantProcedure
    .input(
      z.object({
        search: z.string().trim().max(100, 'expected at most 100 characters, e.g. "Harinas"').optional(),
        filter: z
          .enum(["all", "opted_in", "opted_out", "not_on_whatsapp"], { error: "expected all, opted_in, opted_out or not_on_whatsapp" })
          .default("all"),
        tag: z.string().trim().max(100, 'expected a tag, e.g. "clientes"').optional(),
        page: z.number().int().min(1, "expected a page number from 1, e.g. 2").default(1),
      }),
    )
    .query(({ ctx, input }) => listContacts({ db: ctx.db, tenantId: ctx.tenantId, ...input, tag: input.tag || undefined })),

  /** The bakery's tags with how many contacts carry each. */
  tags: tenantProcedure.query(({ ctx }) => listTags({ db: ctx.db, tenantId: ctx.tenantId })),

  /** Adds and removes tags on one contact or on several selected at once. */
  updateTags: tenantProcedure
    .input(
      z
        .object({
          contactIds: z
            .array(contactId)
            .min(1, "expected at least one contact id")
            .max(tagLimits.contactsPerCall, `expected at most ${tagLimits.contactsPerCall} contacts at once`),
          add: tagList,
          remove: tagList,
        })
        .refine((v) => v.add.length + v.remove.length > 0, {
          message: 'expected a tag to add or remove, e.g. add: ["clientes"]',
          path: ["add"],
        }),
    )
    .mutation(({ ctx, input }) => updateContactTags({ db: ctx.db, tenantId: ctx.tenantId, ...input })),

  /** Every contact as a CSV the import reads back (phone, name, opted_in, tags), separated for the user's spreadsheet. */
  exportCsv: tenantProcedure
    .input(z.object({ locale: z.enum(locales, { error: `expected one of ${locales.join(", ")}` }).optional() }).default({}))
    .mutation(async ({ ctx, input }) => ({
      fileName: `contacts-${new Date().toISOString().slice(0, 10)}.csv`,
      mimeType: "text/csv;charset=utf-8",
      content: await exportContactsCsv({ db: ctx.db, tenantId: ctx.tenantId, locale: input.locale }),
    })),

  create: tenantProcedure
    .input(
      z.object({
        phone: z.string().trim().min(1, 'expected a phone number, e.g. "+34612345678" or "612 34 56 78"').max(40),
        name: z.string().trim().max(200, "expected at most 200 characters").optional(),
        optedIn: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      createContact({ db: ctx.db, tenantId: ctx.tenantId, phone: input.phone, name: input.name, optedIn: input.optedIn, source: "manual" }),
    ),

  setConsent: tenantProcedure
    .input(
      z.object({
        contactId,
        optedIn: z.boolean({ error: "expected true (opt in) or false (opt out)" }),
        /** how the opt-in was obtained; the page asks for it before recording an opt-in */
        method: z.enum(optInMethods, { error: `expected one of ${optInMethods.join(", ")}, e.g. "in_shop"` }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => ({
      changed: await setConsent({
        db: ctx.db,
        tenantId: ctx.tenantId,
        contactId: input.contactId,
        optedIn: input.optedIn,
        method: input.optedIn ? input.method : undefined,
        source: "manual",
        note: `by ${ctx.user.email}`,
        actor: { userId: ctx.user.id, label: ctx.user.email },
      }),
    })),

  consentHistory: tenantProcedure
    .input(z.object({ contactId }))
    .query(({ ctx, input }) => consentHistory({ db: ctx.db, tenantId: ctx.tenantId, contactId: input.contactId })),

  /** One chunk of a large import, parsed in the browser with the same parser: the UI shows progress per chunk. */
  importRows: tenantProcedure
    .input(
      z.object({
        rows: z
          .array(
            z.object({
              row: z.number().int().min(1),
              phone: z.string().max(100),
              userId: z.string().max(140, "expected a business-scoped user id of at most 140 characters").optional(),
              name: z.string().max(500).optional(),
              optedIn: z.string().max(20).optional(),
              tags: z.string().max(1000).optional(),
            }),
          )
          .max(importLimits.rowsPerChunk, `expected at most ${importLimits.rowsPerChunk} rows per chunk`),
      }),
    )
    .mutation(({ ctx, input }) =>
      importContactRows({ db: ctx.db, tenantId: ctx.tenantId, rows: input.rows, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),

  importCsv: tenantProcedure
    .input(
      z.object({
        csv: z
          .string()
          .min(1, 'expected the CSV text, e.g. "phone,name\\n+34612345678,Ana"')
          .max(5_000_000, "expected at most 5 MB; use the upload in Contacts for larger files"),
      }),
    )
    .mutation(({ ctx, input }) =>
      importContactsCsv({ db: ctx.db, tenantId: ctx.tenantId, csv: input.csv, actor: { userId: ctx.user.id, label: ctx.user.email } }),
    ),

  /** Meta said "not on WhatsApp" (131026): only an admin clears the flag, e.g. after the person installs WhatsApp. */
  clearNotOnWhatsApp: adminProcedure
    .input(z.object({ contactId }))
    .mutation(({ ctx, input }) => clearNotOnWhatsApp({ db: ctx.db, contactId: input.contactId })),
});
