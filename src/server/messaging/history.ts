/** The message log as owners read it: status and error in plain words, and the 24-hour window per contact. */
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { serviceWindow } from "@/server/messaging/window";

/** Plain words for the failures owners meet (Recado's codes and Meta's), with what to do next. */
export const failureExplanation: Record<string, string> = {
  RECIPIENT_NOT_ON_WHATSAPP: "This number is not on WhatsApp. The contact is skipped from now on; check the number with them.",
  CONVERSATION_EXPIRED: "More than 24 hours since the contact last wrote: only an approved template can be sent now.",
  RATE_LIMIT_EXCEEDED: "WhatsApp asked us to slow down. Try again in a minute.",
  TOKEN_EXPIRED: "The WhatsApp connection expired. Reconnect WhatsApp in Settings.",
  TEMPLATE_NOT_APPROVED: "The template is paused or disabled by Meta. Check it in Templates.",
  TEMPLATE_NOT_FOUND: "Meta does not know this template in this language. Sync templates and check the language.",
  TEMPLATE_PARAMS_MISMATCH: "The template's placeholders and the values sent do not match.",
  META_UNAVAILABLE: "WhatsApp did not answer in time. It may or may not have been sent; check before sending again.",
};

function view(m: {
  id: string;
  direction: string;
  type: string;
  templateName: string | null;
  templateLanguage: string | null;
  parameters: string[];
  body: string | null;
  source: string;
  wamid: string | null;
  status: string;
  statusAt: Date;
  createdAt: Date;
  errorCode: number | null;
  errorTitle: string | null;
  appErrorCode: string | null;
  contact: { id: string; name: string | null; phoneE164: string };
  statusEvents: { status: string; occurredAt: Date }[];
}) {
  return {
    ...m,
    explanation:
      m.status === "FAILED"
        ? (failureExplanation[m.appErrorCode ?? ""] ??
          `WhatsApp refused it${m.errorCode ? ` (error ${m.errorCode}${m.errorTitle ? `: ${m.errorTitle}` : ""})` : ""}.`)
        : null,
  };
}

const messageSelect = {
  id: true,
  direction: true,
  type: true,
  templateName: true,
  templateLanguage: true,
  parameters: true,
  body: true,
  source: true,
  wamid: true,
  status: true,
  statusAt: true,
  createdAt: true,
  errorCode: true,
  errorTitle: true,
  appErrorCode: true,
  contact: { select: { id: true, name: true, phoneE164: true } },
  statusEvents: { select: { status: true, occurredAt: true }, orderBy: { occurredAt: "asc" as const } },
} as const;

export async function listMessages({
  db,
  tenantId,
  page = 1,
  pageSize = 50,
  status,
}: {
  db: Db;
  tenantId: string;
  page?: number;
  pageSize?: number;
  status?: "FAILED";
}) {
  const where = { tenantId, ...(status ? { status } : {}) };
  const [total, messages] = await Promise.all([
    db.message.count({ where }),
    db.message.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: messageSelect,
    }),
  ]);
  return { total, page, pageSize, messages: messages.map(view) };
}

export async function conversation({
  db,
  tenantId,
  contactId,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  contactId: string;
  now?: Date;
}) {
  const contact = await db.contact.findFirst({ where: { id: contactId, tenantId } });
  if (!contact) throw new AppError("NOT_FOUND", "Contact not found.", { contact_id: contactId });
  const messages = await db.message.findMany({
    where: { tenantId, contactId },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: messageSelect,
  });
  return { contact, window: serviceWindow(contact.lastInboundAt, now), messages: messages.map(view) };
}
