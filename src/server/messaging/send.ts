/**
 * The one send service: the UI, the tenant REST API and broadcasts all send through `sendMessage`.
 *
 * Before Meta is called it checks, in this order, and refuses with seed 004's code and details (a refused send
 * never reaches Meta and leaves no message row):
 *   1. the tenant has WhatsApp enabled and a number     WHATSAPP_NOT_ENABLED / NO_PHONE_NUMBER_ASSIGNED
 *   2. the contact is valid and opted in                 NOT_FOUND / RECIPIENT_NOT_ON_WHATSAPP / CONTACT_NOT_OPTED_IN
 *   3. free-form text only inside the 24-hour window     CONVERSATION_EXPIRED
 *   4. the template is approved                          TEMPLATE_NOT_FOUND / TEMPLATE_NOT_APPROVED
 *   5. the parameters match the template                 TEMPLATE_PARAMS_MISMATCH
 * Then the attempt is recorded (PENDING) BEFORE the call and the wamid AFTER it: a step retried with the same
 * idempotency key finds its row and never sends twice. Meta's refusals map onto the same vocabulary.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getEnv } from "@/server/env";
import { graphClientForAccount, type AccountForGraph } from "@/server/accounts/graph";
import { markAccountTokenInvalid, markAccountTokenValid } from "@/server/accounts/token-status";
import { flagNotOnWhatsApp } from "@/server/contacts/contacts";
import { serviceWindow } from "@/server/messaging/window";
import { ownFirst, templateScopeOf, templatesNamedWhere } from "@/server/templates/ownership";
import { isGraphApiError, pairRateRetryMs, type GraphApiError } from "@/server/whatsapp";

export type MessageContent =
  | { kind: "template"; templateName: string; /** defaults to the tenant's message language */ language?: string; parameters: string[] }
  | { kind: "text"; body: string };

export type SendSource = "ui" | "api" | "test" | "broadcast";

/** What a tenant sends with, loaded once (a broadcast reuses it for every recipient). */
export type Sender = {
  tenantId: string;
  language: string;
  phoneNumberId: string;
  metaPhoneNumberId: string;
  account: AccountForGraph & { tokenInvalidAt: Date | null };
};

export type SendResult = {
  messageId: string;
  wamid: string | null;
  status: "ACCEPTED" | "PENDING" | "SENT" | "DELIVERED" | "READ" | "FAILED";
  /** true when an earlier attempt with this idempotency key was found and nothing was sent now */
  replayed: boolean;
};

export const sendRetry = { rateLimitAttempts: 3, maxBackoffMs: 16_000 };

const senderSelect = {
  enabled: true,
  language: true,
  phoneNumber: { select: { id: true, metaPhoneNumberId: true, businessAccount: { select: { id: true, kind: true, wabaId: true, accessTokenEncrypted: true, updatedAt: true, tokenInvalidAt: true } } } },
} as const;

/** Check 1: WhatsApp switched on and a number to send from (or, when allowed, the platform's default number). */
export async function loadSender({ db, tenantId, allowDefaultNumber = false }: { db: Db; tenantId: string; allowDefaultNumber?: boolean }): Promise<Sender> {
  const settings = await db.whatsAppSettings.findUnique({ where: { tenantId }, select: senderSelect });
  if (!settings?.enabled) {
    throw new AppError("WHATSAPP_NOT_ENABLED", "WhatsApp is switched off for this bakery: switch it on in Settings.", { tenant_id: tenantId, solution: "Switch WhatsApp on in Settings" });
  }
  let number = settings.phoneNumber;
  if (!number && allowDefaultNumber) {
    const defaultId = getEnv().META_DEFAULT_PHONE_NUMBER_ID;
    number = defaultId ? await db.phoneNumber.findUnique({ where: { metaPhoneNumberId: defaultId }, select: senderSelect.phoneNumber.select }) : null;
  }
  if (!number) {
    throw new AppError("NO_PHONE_NUMBER_ASSIGNED", "No WhatsApp number is assigned to this bakery yet: ask the platform admin to assign one.", { tenant_id: tenantId });
  }
  return { tenantId, language: settings.language, phoneNumberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId, account: number.businessAccount };
}

type Contact = { id: string; phoneE164: string; optedIn: boolean; optedOutAt: Date | null; notOnWhatsAppAt: Date | null; lastInboundAt: Date | null };

async function checkContact(db: Db, tenantId: string, contactId: string): Promise<Contact> {
  const contact = await db.contact.findFirst({
    where: { id: contactId, tenantId },
    select: { id: true, phoneE164: true, optedIn: true, optedOutAt: true, notOnWhatsAppAt: true, lastInboundAt: true },
  });
  if (!contact) throw new AppError("NOT_FOUND", "Contact not found.", { contact_id: contactId });
  if (contact.notOnWhatsAppAt) {
    throw new AppError("RECIPIENT_NOT_ON_WHATSAPP", "Phone number is not registered on WhatsApp", {
      contact_id: contact.id,
      phone: contact.phoneE164,
      flagged_at: contact.notOnWhatsAppAt.toISOString(),
      solution: "An admin can clear the flag when the contact has WhatsApp again",
    });
  }
  if (!contact.optedIn) {
    throw new AppError("CONTACT_NOT_OPTED_IN", "Contact has not opted in to receive messages", {
      contact_id: contact.id,
      opted_in: false,
      opted_out_at: contact.optedOutAt?.toISOString() ?? null,
    });
  }
  return contact;
}

/**
 * Without an explicit language, the tenant's language is tried first, then Spanish and English: a bakery that
 * writes in Catalan still gets its purchase orders out while only es/en versions of a template exist.
 */
export const templateLanguageFallbacks = ["es", "en"];

export async function checkTemplate(db: Db, sender: Sender, content: Extract<MessageContent, { kind: "template" }>) {
  const languages = content.language ? [content.language] : [...new Set([sender.language, ...templateLanguageFallbacks])];
  // only the bakery's own templates and the platform's (templates/ownership.ts): another bakery's is not found
  const candidates = ownFirst(await db.messageTemplate.findMany({
    where: { ...templatesNamedWhere(templateScopeOf(sender.tenantId, sender.account), content.templateName), language: { in: languages } },
    select: { id: true, name: true, language: true, status: true, rejectedReason: true, parameterNames: true, bodyText: true, ownerTenantId: true },
  }));
  const template = languages.map((l) => candidates.find((c) => c.language === l)).find((c) => c && (c.status === "APPROVED" || c.language === languages[0])) ?? candidates[0];
  const language = template?.language ?? languages[0]!;
  if (!template) {
    throw new AppError("TEMPLATE_NOT_FOUND", `Template '${content.templateName}' does not exist in language '${language}'`, {
      template_name: content.templateName,
      language,
      solution: "Sync templates in Templates, or create it there",
    });
  }
  if (template.status !== "APPROVED") {
    throw new AppError("TEMPLATE_NOT_APPROVED", `Template '${content.templateName}' is not approved for sending`, {
      template_id: template.id,
      template_name: content.templateName,
      status: template.status.toLowerCase(),
      rejection_reason: template.rejectedReason,
    });
  }
  if (template.parameterNames.length !== content.parameters.length) {
    throw new AppError("TEMPLATE_PARAMS_MISMATCH", `Template expects ${template.parameterNames.length} parameters, but ${content.parameters.length} were provided`, {
      template_name: content.templateName,
      expected_params: template.parameterNames.length,
      provided_params: content.parameters.length,
      param_names: template.parameterNames,
    });
  }
  /** template.name is Meta's name, which the send uses */
  return { language, template };
}

/** Every policy check, without sending: the same refusals `sendMessage` would give. */
export async function checkSend({ db, sender, contactId, content, now = new Date() }: { db: Db; sender: Sender; contactId: string; content: MessageContent; now?: Date }) {
  const contact = await checkContact(db, sender.tenantId, contactId);
  if (content.kind === "text") {
    const window = serviceWindow(contact.lastInboundAt, now);
    if (!window.open) {
      throw new AppError("CONVERSATION_EXPIRED", "24-hour messaging window has expired", {
        conversation_id: contact.id,
        expired_at: window.expiredAt?.toISOString() ?? null,
        solution: "Use an approved template message",
      });
    }
    return { contact, language: null, metaTemplateName: null };
  }
  const { language, template } = await checkTemplate(db, sender, content);
  return { contact, language, metaTemplateName: template.name };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendMessage({ db, tenantId, contactId, content, source, idempotencyKey, sender, allowDefaultNumber, rateLimitAttempts = sendRetry.rateLimitAttempts, paceMetaCall = (call) => call(), now = new Date() }: {
  db: Db;
  tenantId: string;
  contactId: string;
  content: MessageContent;
  source: SendSource;
  /** the same key never sends twice (broadcasts: one per recipient) */
  idempotencyKey?: string;
  /** preloaded by callers that send many (broadcasts); must belong to tenantId */
  sender?: Sender;
  allowDefaultNumber?: boolean;
  /** attempts on 130429 / 131056 before giving up with RATE_LIMIT_EXCEEDED; broadcasts pass 1 and pause instead */
  rateLimitAttempts?: number;
  /** runs each call to Meta, after every check and the recorded attempt: where paced senders make it wait for its slot */
  paceMetaCall?: <C>(call: () => Promise<C>) => Promise<C>;
  now?: Date;
}): Promise<SendResult> {
  const from = sender ?? (await loadSender({ db, tenantId, allowDefaultNumber }));
  if (from.tenantId !== tenantId) throw new AppError("FORBIDDEN", "The sender belongs to another bakery.", {});

  if (idempotencyKey) {
    const earlier = await db.message.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } }, select: { id: true, wamid: true, status: true } });
    if (earlier) return { messageId: earlier.id, wamid: earlier.wamid, status: earlier.status as SendResult["status"], replayed: true };
  }

  const { contact, language, metaTemplateName } = await checkSend({ db, sender: from, contactId, content, now });

  // the attempt, before Meta is called
  const messageId = randomUUID();
  const inserted = await db.$executeRaw`
    INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "templateName", "templateLanguage", "parameters", "body", "source", "idempotencyKey", "status", "statusRank")
    VALUES (${messageId}, ${tenantId}, ${from.phoneNumberId}, ${contact.id}, 'OUTBOUND', ${content.kind},
            ${content.kind === "template" ? content.templateName : null}, ${language},
            ${content.kind === "template" ? content.parameters : []}::text[], ${content.kind === "text" ? content.body : null},
            ${source}, ${idempotencyKey ?? null}, 'PENDING', 0)
    ON CONFLICT ("tenantId", "idempotencyKey") DO NOTHING`;
  if (inserted === 0 && idempotencyKey) {
    // a concurrent attempt with the same key won the insert: it sends, we report it
    const earlier = await db.message.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } }, select: { id: true, wamid: true, status: true } });
    return { messageId: earlier.id, wamid: earlier.wamid, status: earlier.status as SendResult["status"], replayed: true };
  }

  const graph = graphClientForAccount(from.account);
  for (let attempt = 0; ; attempt++) {
    try {
      const sent = await paceMetaCall(() =>
        content.kind === "template"
          ? graph.sendTemplateMessage({ phoneNumberId: from.metaPhoneNumberId, to: contact.phoneE164, templateName: metaTemplateName ?? content.templateName, languageCode: language ?? from.language, bodyParameters: content.parameters, bizOpaqueCallbackData: messageId })
          : graph.sendTextMessage({ phoneNumberId: from.metaPhoneNumberId, to: contact.phoneE164, body: content.body, bizOpaqueCallbackData: messageId }),
      );
      const wamid = sent.messageId;
      // the wamid, after (status webhooks find the message by it; one arriving earlier is retried by the processor)
      await db.$executeRaw`UPDATE "messages" SET "wamid" = ${wamid}, "status" = 'ACCEPTED', "statusRank" = 1, "statusAt" = now() WHERE "id" = ${messageId} AND "statusRank" < 1`;
      if (from.account.tokenInvalidAt) await markAccountTokenValid({ db, businessAccountId: from.account.id });
      return { messageId, wamid, status: "ACCEPTED", replayed: false };
    } catch (error) {
      if (!isGraphApiError(error)) {
        await recordFailure(db, messageId, { appCode: "INTERNAL_ERROR", title: (error as Error).message.slice(0, 200) });
        throw error;
      }
      if (error.code === "RATE_LIMIT_EXCEEDED" && attempt + 1 < rateLimitAttempts) {
        await sleep(Math.min(sendRetry.maxBackoffMs, error.metaCode === 131056 ? pairRateRetryMs(attempt) : (error.retryAfterMs ?? 1000) * 2 ** attempt));
        continue;
      }
      throw await failedByMeta(db, { messageId, error, contact, sender: from });
    }
  }
}

async function recordFailure(db: Db, messageId: string, failure: { appCode: string; metaCode?: number; title?: string }) {
  await db.$executeRaw`
    UPDATE "messages" SET "status" = 'FAILED', "statusRank" = 5, "statusAt" = now(),
           "errorCode" = ${failure.metaCode ?? null}, "errorTitle" = ${failure.title ?? null}, "appErrorCode" = ${failure.appCode}
     WHERE "id" = ${messageId} AND "statusRank" < 5`;
}

/** Meta refused the send: log it on the message, apply the consequence, and answer in seed 004's words. */
async function failedByMeta(db: Db, { messageId, error, contact, sender }: { messageId: string; error: GraphApiError; contact: Contact; sender: Sender }): Promise<AppError> {
  const metaTitle = typeof error.details.metaMessage === "string" ? error.details.metaMessage : undefined;
  await recordFailure(db, messageId, { appCode: error.code, metaCode: error.metaCode, title: metaTitle ?? error.code });
  const base = { message_id: messageId, meta_error_code: error.metaCode ?? null };
  switch (error.code) {
    case "RECIPIENT_NOT_ON_WHATSAPP":
      await flagNotOnWhatsApp({ db, contactId: contact.id });
      return new AppError("RECIPIENT_NOT_ON_WHATSAPP", "Phone number is not registered on WhatsApp", { ...base, phone: contact.phoneE164, contact_id: contact.id }, { cause: error });
    case "CONVERSATION_EXPIRED":
      return new AppError("CONVERSATION_EXPIRED", "24-hour messaging window has expired", { ...base, conversation_id: contact.id, expired_at: null, solution: "Use an approved template message" }, { cause: error });
    case "RATE_LIMIT_EXCEEDED":
      return new AppError("RATE_LIMIT_EXCEEDED", "WhatsApp rate limit exceeded", {
        ...base,
        limit: error.metaCode === 131056 ? "pair rate: about 1 message every 6 seconds to the same person" : "the number's throughput (80 msg/s STANDARD, 1,000 msg/s HIGH)",
        period: error.metaCode === 131056 ? "6 seconds" : "1 second",
        retry_after_seconds: Math.ceil((error.retryAfterMs ?? 1000) / 1000),
      }, { cause: error });
    case "TOKEN_EXPIRED": {
      const account = await markAccountTokenInvalid({ db, businessAccountId: sender.account.id, reason: error.message });
      return new AppError("TOKEN_EXPIRED", "WhatsApp access token has expired", {
        ...base,
        action_required: "Reconnect WhatsApp in Settings",
        expired_at: account.tokenInvalidAt?.toISOString() ?? new Date().toISOString(),
      }, { cause: error });
    }
    default:
      return new AppError(error.code, error.message, { ...base, ...error.details }, { cause: error });
  }
}
