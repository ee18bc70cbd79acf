import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { conversation, listMessages } from "@/server/messaging/history";
import { sendMessage } from "@/server/messaging/send";
import { sendTestNotification } from "@/server/messaging/test-notification";
import { sendableTemplates } from "@/server/templates/sendable";

const contactId = z.string({ error: 'expected a contact id, e.g. "cm3..."' }).min(1, 'expected a contact id, e.g. "cm3..."');

export const messagesRouter = createTRPCRouter({
  list: tenantProcedure
    .input(
      z.object({
        page: z.number().int().min(1, "expected a page number from 1, e.g. 2").default(1),
        failedOnly: z.boolean().default(false),
      }),
    )
    .query(({ ctx, input }) =>
      listMessages({ db: ctx.db, tenantId: ctx.tenantId, page: input.page, status: input.failedOnly ? "FAILED" : undefined }),
    ),

  /** the approved templates by name, each with only the languages it exists in and the one sent by default */
  templateChoices: tenantProcedure.query(({ ctx }) => sendableTemplates({ db: ctx.db, tenantId: ctx.tenantId })),

  conversation: tenantProcedure
    .input(z.object({ contactId }))
    .query(({ ctx, input }) => conversation({ db: ctx.db, tenantId: ctx.tenantId, contactId: input.contactId })),

  sendText: tenantProcedure
    .input(
      z.object({
        contactId,
        body: z
          .string()
          .trim()
          .min(1, 'expected the message text, e.g. "¡Hola! Tu pedido está listo."')
          .max(4096, "expected at most 4,096 characters"),
      }),
    )
    .mutation(({ ctx, input }) =>
      sendMessage({
        db: ctx.db,
        tenantId: ctx.tenantId,
        contactId: input.contactId,
        content: { kind: "text", body: input.body },
        source: "ui",
      }),
    ),

  sendTemplate: tenantProcedure
    .input(
      z.object({
        contactId,
        templateName: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected a template name, e.g. "po_notification"'),
        language: z.string().max(15).optional(),
        parameters: z.array(z.string().trim().min(1, 'expected a value for each placeholder, e.g. "PO-1042"').max(1024)).max(20),
      }),
    )
    .mutation(({ ctx, input }) =>
      sendMessage({
        db: ctx.db,
        tenantId: ctx.tenantId,
        contactId: input.contactId,
        content: { kind: "template", templateName: input.templateName, language: input.language, parameters: input.parameters },
        source: "ui",
      }),
    ),

  /** Settings → "send a test notification to myself": a po_notification to the owner's own phone (test-notification.ts). */
  sendTestNotification: tenantProcedure
    .input(z.object({ phone: z.string().trim().min(1, 'expected your mobile number, e.g. "+34612345678"').max(40).optional() }))
    .mutation(({ ctx, input }) => sendTestNotification({ db: ctx.db, tenantId: ctx.tenantId, userId: ctx.user.id, phone: input.phone })),
});
