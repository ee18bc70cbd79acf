/**
 * The one send path, in two halves: `prepareSend` (the checks below, then the attempt recorded) and `deliverSend`
 * (the call to Meta and its recorded outcome). `sendMessage` is both, for the UI, the tenant REST API and purchase
 * orders; broadcasts prepare, wait for the number's send slot (src/server/throughput), then deliver.
 *
 * Before Meta is called it checks, in this order, and refuses with Recado's error code and details (a refused send
 * never reaches Meta and leaves no message row):
 *   1. the tenant has WhatsApp enabled and a number     WHATSAPP_NOT_ENABLED / NO_PHONE_NUMBER_ASSIGNED
 *   2. the contact is valid and opted in                 NOT_FOUND / RECIPIENT_NOT_ON_WHATSAPP / CONTACT_NOT_OPTED_IN
 *   3. free-form text only inside the 24-hour window     CONVERSATION_EXPIRED
 *   4. the template is approved                          TEMPLATE_NOT_FOUND / TEMPLATE_NOT_APPROVED
 *   5. the parameters match the template                 TEMPLATE_PARAMS_MISMATCH
 *   6. no MARKETING template to a contact who stopped them  MARKETING_OPTED_OUT       (messaging/policy.ts)
 *   7. the bakery's monthly spend cap is not reached       SPEND_CAP_REACHED         (messaging/policy.ts)
 * Then the attempt is recorded (PENDING) BEFORE the call and the wamid AFTER it: a step retried with the same
 * idempotency key finds its row and never sends twice. Meta's refusals map onto the same vocabulary.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getEnv } from "@/server/env";
import { graphClientForAccount, type AccountForGraph } from "@/server/accounts/graph";
import { markAccountTokenInvalid, markAccountTokenValid } from "@/server/accounts/token-status";
import { flagNotOnWhatsApp } from "@/server/contacts/contacts";
import { serviceWindow } from "@/server/messaging/window";
import { marketingAllowed, spendAllowed, spendFactsSql, type SpendFacts } from "@/server/messaging/policy";
import { addresseeOf, recipientCountryOf } from "@/server/contacts/bsuid";
import { isGraphApiError, metaThrottleCodes, pairRateRetryMs, type GraphApiError } from "@/server/whatsapp";
import { ownFirst, templateScopeOf, templatesNamedWhere } from "@/server/templates/ownership";
import {
  pacedRatePerSecond,
  pauseNumberSending,
  processSendGuard,
  reserveSendSlots,
  reserveSlotsStatement,
  slotReservationOf,
  throughputLimitFor,
  throughputPauseMs,
  waitForReservedSlot,
  type SlotReservation,
} from "@/server/throughput/pacing";

export type MessageContent =
  | { kind: "template"; templateName: string; /** defaults to the tenant's message language */ language?: string; parameters: string[] }
  | { kind: "text"; body: string };

export type SendSource = "ui" | "api" | "test" | "broadcast" | "retry";

/** The number a bakery sends from, with its account, loaded once (a broadcast reuses it for every recipient). */
export type SendingNumber = {
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

const sendingNumberSelect = {
  enabled: true,
  language: true,
  phoneNumber: {
    select: {
      id: true,
      metaPhoneNumberId: true,
      businessAccount: {
        select: { id: true, kind: true, wabaId: true, accessTokenEncrypted: true, updatedAt: true, tokenInvalidAt: true },
      },
    },
  },
} as const;

/** Check 1: WhatsApp switched on and a number to send from (or, when allowed, the platform's default number). */
export async function loadSendingNumber({
  db,
  tenantId,
  allowDefaultNumber = false,
}: {
  db: Db;
  tenantId: string;
  allowDefaultNumber?: boolean;
}): Promise<SendingNumber> {
  const settings = await db.whatsAppSettings.findUnique({ where: { tenantId }, select: sendingNumberSelect });
  if (!settings?.enabled) throw whatsAppNotEnabled(tenantId);
  let number = settings.phoneNumber;
  if (!number && allowDefaultNumber) {
    const defaultId = getEnv().META_DEFAULT_PHONE_NUMBER_ID;
    number = defaultId
      ? await db.phoneNumber.findUnique({ where: { metaPhoneNumberId: defaultId }, select: sendingNumberSelect.phoneNumber.select })
      : null;
  }
  return sendingNumberOf(tenantId, settings.language, number);
}

function whatsAppNotEnabled(tenantId: string) {
  return new AppError("WHATSAPP_NOT_ENABLED", "WhatsApp is switched off for this bakery: switch it on in Settings.", {
    tenant_id: tenantId,
    solution: "Switch WhatsApp on in Settings",
  });
}

function sendingNumberOf(
  tenantId: string,
  language: string,
  number: { id: string; metaPhoneNumberId: string; businessAccount: SendingNumber["account"] } | null,
): SendingNumber {
  if (!number) {
    throw new AppError(
      "NO_PHONE_NUMBER_ASSIGNED",
      "No WhatsApp number is assigned to this bakery yet: ask the platform admin to assign one.",
      { tenant_id: tenantId },
    );
  }
  return {
    tenantId,
    language,
    phoneNumberId: number.id,
    metaPhoneNumberId: number.metaPhoneNumberId,
    account: number.businessAccount,
  };
}

type Contact = {
  id: string;
  phoneE164: string;
  /** the BSUID, when known (a contact known only by it has no phone number: contacts/bsuid.ts) */
  userId: string | null;
  optedIn: boolean;
  optedOutAt: Date | null;
  notOnWhatsAppAt: Date | null;
  lastInboundAt: Date | null;
  marketingOptedOutAt: Date | null;
};

async function checkContact(db: Db, tenantId: string, contactId: string): Promise<Contact> {
  const contact = await db.contact.findFirst({
    where: { id: contactId, tenantId, erasedAt: null },
    select: {
      id: true,
      phoneE164: true,
      userId: true,
      optedIn: true,
      optedOutAt: true,
      notOnWhatsAppAt: true,
      lastInboundAt: true,
      marketingOptedOutAt: true,
    },
  });
  return contactAllowed(contact, contactId);
}

/** Check 2 on a loaded contact (or none): the refusal, or the contact. */
function contactAllowed(contact: Contact | null, contactId: string): Contact {
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

const templateLanguages = (content: TemplateContent, tenantLanguage: string) =>
  content.language ? [content.language] : [...new Set([tenantLanguage, ...templateLanguageFallbacks])];

type TemplateContent = Extract<MessageContent, { kind: "template" }>;

type TemplateCandidate = {
  id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  rejectedReason: string | null;
  parameterNames: string[];
  bodyText: string | null;
  ownerTenantId: string | null;
};

export async function checkTemplate(db: Db, from: SendingNumber, content: TemplateContent) {
  const languages = templateLanguages(content, from.language);
  // only the bakery's own templates and the platform's (templates/ownership.ts): another bakery's is not found
  const candidates = await db.messageTemplate.findMany({
    where: { ...templatesNamedWhere(templateScopeOf(from.tenantId, from.account), content.templateName), language: { in: languages } },
    select: {
      id: true,
      name: true,
      language: true,
      category: true,
      status: true,
      rejectedReason: true,
      parameterNames: true,
      bodyText: true,
      ownerTenantId: true,
    },
  });
  return templateAllowed(candidates, languages, content);
}

/** Checks 4 and 5 on the loaded candidates (the bakery's own and the platform's of that name, in `languages`). */
function templateAllowed(found: TemplateCandidate[], languages: string[], content: TemplateContent) {
  const candidates = ownFirst(found);
  const template =
    languages
      .map((l) => candidates.find((c) => c.language === l))
      .find((c) => c && (c.status === "APPROVED" || c.language === languages[0])) ?? candidates[0];
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
    throw new AppError(
      "TEMPLATE_PARAMS_MISMATCH",
      `Template expects ${template.parameterNames.length} parameters, but ${content.parameters.length} were provided`,
      {
        template_name: content.templateName,
        expected_params: template.parameterNames.length,
        provided_params: content.parameters.length,
        param_names: template.parameterNames,
      },
    );
  }
  /** template.name is Meta's name, which the send uses */
  return { language, template };
}

/** Every policy check, without sending: the same refusals `sendMessage` would give. */
export async function checkSend({
  db,
  from,
  contactId,
  content,
  now = new Date(),
}: {
  db: Db;
  from: SendingNumber;
  contactId: string;
  content: MessageContent;
  now?: Date;
}) {
  const contact = await checkContact(db, from.tenantId, contactId);
  if (content.kind === "text") {
    windowOpen(contact, now);
    return { contact, language: null, metaTemplateName: null };
  }
  const { language, template } = await checkTemplate(db, from, content);
  marketingAllowed(contact, template);
  return { contact, language, metaTemplateName: template.name };
}

/** Check 3: free-form text only inside the 24-hour window. */
function windowOpen(contact: Contact, now: Date) {
  const window = serviceWindow(contact.lastInboundAt, now);
  if (!window.open) {
    throw new AppError("CONVERSATION_EXPIRED", "24-hour messaging window has expired", {
      conversation_id: contact.id,
      expired_at: window.expiredAt?.toISOString() ?? null,
      solution: "Use an approved template message",
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A send that passed every check and whose attempt is recorded (PENDING): what is offered to Meta. */
export type PreparedSend = {
  messageId: string;
  from: SendingNumber;
  contact: Contact;
  content: MessageContent;
  language: string | null;
  /** the template's name at Meta (a bakery's own template carries its tag there) */
  metaTemplateName: string | null;
};

/** Either a send ready to be delivered, or the result of an earlier attempt with the same idempotency key. */
export type SendPreparation = { replayed: false; send: PreparedSend } | { replayed: true; result: SendResult };

export type SendRequest = {
  db: Db;
  tenantId: string;
  contactId: string;
  content: MessageContent;
  source: SendSource;
  /** the same key never sends twice (broadcasts: one per recipient) */
  idempotencyKey?: string;
  /** preloaded by callers that send many (broadcasts); must belong to tenantId */
  from?: SendingNumber;
  allowDefaultNumber?: boolean;
  now?: Date;
};

/** A column of type timestamp (UTC, no zone) as `row_to_json` writes it, back to a Date. */
const utcDate = (value: string | null) => (value === null ? null : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`));

type SendContextRow = {
  settings: { enabled: boolean; language: string; phoneNumberId: string | null } | null;
  number: {
    id: string;
    metaPhoneNumberId: string;
    throughputLevel: string | null;
    accountId: string;
    kind: string;
    wabaId: string;
    accessTokenEncrypted: string | null;
    updatedAt: string;
    tokenInvalidAt: string | null;
  } | null;
  contact:
    | (Omit<Contact, "optedOutAt" | "notOnWhatsAppAt" | "lastInboundAt" | "marketingOptedOutAt"> &
        Record<"optedOutAt" | "notOnWhatsAppAt" | "lastInboundAt" | "marketingOptedOutAt", string | null>)
    | null;
  earlier: { id: string; wamid: string | null; status: string } | null;
  templates: TemplateCandidate[];
  /** the bakery's cap and what its messages cost this month (messaging/policy.ts) */
  spend: SpendFacts;
};

/**
 * Everything the checks read, in one round trip: the bakery's settings and sending number with its account (or
 * the preloaded one's), the contact, an earlier attempt with the idempotency key, and the template candidates.
 * The same rows `loadSendingNumber`, `checkContact` and `checkTemplate` read one query each.
 */
async function loadSendContext({
  db,
  tenantId,
  contactId,
  content,
  idempotencyKey,
  preloaded,
  defaultMetaPhoneNumberId,
}: {
  db: Db;
  tenantId: string;
  contactId: string;
  content: MessageContent;
  idempotencyKey: string | undefined;
  preloaded: SendingNumber | undefined;
  defaultMetaPhoneNumberId: string | null;
}): Promise<SendContextRow> {
  const templateName = content.kind === "template" ? content.templateName : null;
  const explicitLanguage = content.kind === "template" ? (content.language ?? null) : null;
  const rows = await db.$queryRaw<SendContextRow[]>`
    WITH s AS (
      SELECT "enabled", "language", "phoneNumberId" FROM "whatsapp_settings" WHERE "tenantId" = ${tenantId}
    ), n AS (
      SELECT p."id", p."metaPhoneNumberId", p."throughputLevel", a."id" AS "accountId", a."kind"::text AS "kind", a."wabaId",
             a."accessTokenEncrypted", a."updatedAt", a."tokenInvalidAt"
        FROM "phone_numbers" p JOIN "business_accounts" a ON a."id" = p."businessAccountId"
       WHERE p."id" = COALESCE(${preloaded?.phoneNumberId ?? null}::text, (SELECT "phoneNumberId" FROM s))
          OR (${preloaded ? null : defaultMetaPhoneNumberId}::text IS NOT NULL AND (SELECT "phoneNumberId" FROM s) IS NULL
              AND p."metaPhoneNumberId" = ${defaultMetaPhoneNumberId}::text)
       LIMIT 1
    ), languages AS (
      SELECT CASE WHEN ${explicitLanguage}::text IS NOT NULL THEN ARRAY[${explicitLanguage}::text]
                  ELSE ARRAY[COALESCE(${preloaded?.language ?? null}::text, (SELECT "language" FROM s))] || ${templateLanguageFallbacks}::text[]
             END AS "list"
    )
    SELECT
      (SELECT row_to_json(s) FROM s) AS "settings",
      (SELECT row_to_json(n) FROM n) AS "number",
      (SELECT row_to_json(c) FROM (
         SELECT "id", "phoneE164", "userId", "optedIn", "optedOutAt", "notOnWhatsAppAt", "lastInboundAt", "marketingOptedOutAt"
           FROM "contacts" WHERE "id" = ${contactId} AND "tenantId" = ${tenantId} AND "erasedAt" IS NULL) c) AS "contact",
      (SELECT row_to_json(m) FROM (
         SELECT "id", "wamid", "status" FROM "messages"
          WHERE "tenantId" = ${tenantId} AND "idempotencyKey" = ${idempotencyKey ?? null}::text) m) AS "earlier",
      (SELECT COALESCE(json_agg(t), '[]'::json) FROM (
         -- the scope of templates/ownership.ts (templatesNamedWhere): the bakery's own and the platform's
         SELECT t."id", t."name", t."language", t."category", t."status", t."rejectedReason", t."parameterNames", t."bodyText", t."ownerTenantId"
           FROM "message_templates" t, n, languages
          WHERE ${templateName}::text IS NOT NULL AND t."businessAccountId" = n."accountId" AND t."language" = ANY(languages."list")
            AND CASE WHEN n."kind" = 'MASTER'
                     THEN (t."ownerTenantId" = ${tenantId} AND t."tenantName" = ${templateName}::text)
                          OR (t."ownerTenantId" IS NULL AND t."name" = ${templateName}::text)
                     ELSE t."name" = ${templateName}::text OR t."tenantName" = ${templateName}::text END) t) AS "templates",
      ${spendFactsSql(tenantId)} AS "spend"`;
  return rows[0]!;
}

/** A recorded attempt's slot on the number's pacing row, reserved in the same statement (single sends). */
type PacedAttempt = { reservation: SlotReservation; limit: number };

/** The checks, then the attempt recorded before Meta is called. Refusals throw; nothing is recorded for them. */
export async function prepareSend(request: SendRequest): Promise<SendPreparation> {
  return (await prepare(request, false)).preparation;
}

/**
 * One round trip for every check (`loadSendContext`), one to record the attempt — with `pace`, reserving the
 * number's next send slot in the same statement.
 */
async function prepare(
  { db, tenantId, contactId, content, source, idempotencyKey, from: preloaded, allowDefaultNumber, now = new Date() }: SendRequest,
  pace: boolean,
): Promise<{ preparation: SendPreparation; paced: PacedAttempt | null }> {
  if (preloaded && preloaded.tenantId !== tenantId) throw new AppError("FORBIDDEN", "The sending number belongs to another bakery.", {});
  const context = await loadSendContext({
    db,
    tenantId,
    contactId,
    content,
    idempotencyKey,
    preloaded,
    defaultMetaPhoneNumberId: allowDefaultNumber ? (getEnv().META_DEFAULT_PHONE_NUMBER_ID ?? null) : null,
  });

  // 1. the sending number
  let from: SendingNumber;
  if (preloaded) from = preloaded;
  else {
    if (!context.settings?.enabled) throw whatsAppNotEnabled(tenantId);
    const n = context.number;
    from = sendingNumberOf(
      tenantId,
      context.settings.language,
      n && {
        id: n.id,
        metaPhoneNumberId: n.metaPhoneNumberId,
        businessAccount: {
          id: n.accountId,
          kind: n.kind as SendingNumber["account"]["kind"],
          wabaId: n.wabaId,
          accessTokenEncrypted: n.accessTokenEncrypted,
          updatedAt: utcDate(n.updatedAt)!,
          tokenInvalidAt: utcDate(n.tokenInvalidAt),
        },
      },
    );
  }

  if (idempotencyKey && context.earlier) {
    const earlier = context.earlier;
    const result = { messageId: earlier.id, wamid: earlier.wamid, status: earlier.status as SendResult["status"], replayed: true };
    return { preparation: { replayed: true, result }, paced: null };
  }

  // 2. the contact, 3. the window, 4.–5. the template
  const loaded = context.contact;
  const contact = contactAllowed(
    loaded && {
      ...loaded,
      optedOutAt: utcDate(loaded.optedOutAt),
      notOnWhatsAppAt: utcDate(loaded.notOnWhatsAppAt),
      lastInboundAt: utcDate(loaded.lastInboundAt),
      marketingOptedOutAt: utcDate(loaded.marketingOptedOutAt),
    },
    contactId,
  );
  let language: string | null = null;
  let metaTemplateName: string | null = null;
  let category: string | null = null;
  if (content.kind === "text") windowOpen(contact, now);
  else {
    const checked = templateAllowed(context.templates, templateLanguages(content, from.language), content);
    language = checked.language;
    metaTemplateName = checked.template.name;
    // 6. marketing the contact stopped, 7. the bakery's monthly spend cap (messaging/policy.ts)
    marketingAllowed(contact, checked.template);
    category = checked.template.category?.toUpperCase() ?? null;
  }
  const windowIsOpen = serviceWindow(contact.lastInboundAt, now).open;
  const businessInitiated = content.kind === "template" && !windowIsOpen;
  // free: a reply inside the window, a utility template inside it (Meta: pricing)
  const billable = content.kind === "template" && !(windowIsOpen && category === "UTILITY");
  await spendAllowed({ db, tenantId, spend: context.spend, billable, now });

  const messageId = randomUUID();
  const limit = throughputLimitFor(context.number?.throughputLevel);
  const perSecond = pacedRatePerSecond(context.number?.throughputLevel);
  const insert = Prisma.sql`
    INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "templateName", "templateLanguage", "parameters", "body", "source", "idempotencyKey", "status", "statusRank", "recipientCountry", "businessInitiated")
    VALUES (${messageId}, ${tenantId}, ${from.phoneNumberId}, ${contact.id}, 'OUTBOUND', ${content.kind},
            ${content.kind === "template" ? content.templateName : null}, ${language},
            ${content.kind === "template" ? content.parameters : []}::text[], ${content.kind === "text" ? content.body : null},
            ${source}, ${idempotencyKey ?? null}, 'PENDING', 0, ${recipientCountryOf(contact)}, ${businessInitiated})
    ON CONFLICT ("tenantId", "idempotencyKey") DO NOTHING
    RETURNING "id"`;
  let inserted: number;
  let paced: PacedAttempt | null = null;
  if (pace) {
    const slotStatement = reserveSlotsStatement({ phoneNumberId: from.phoneNumberId, count: 1, perSecond });
    const [row] = await db.$queryRaw<{ inserted: number; start_ms: number; now_ms: number }[]>`
      WITH attempt AS (${insert}), slot AS (${slotStatement})
      SELECT (SELECT count(*) FROM attempt)::int AS inserted, slot.start_ms, slot.now_ms FROM slot`;
    inserted = row!.inserted;
    paced = { reservation: slotReservationOf(row!, 1, perSecond), limit };
  } else inserted = (await db.$queryRaw<{ id: string }[]>(insert)).length;

  if (inserted === 0 && idempotencyKey) {
    // a concurrent attempt with the same key won the insert: it sends, we report it
    const earlier = await db.message.findUniqueOrThrow({
      where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } },
      select: { id: true, wamid: true, status: true },
    });
    const result = { messageId: earlier.id, wamid: earlier.wamid, status: earlier.status as SendResult["status"], replayed: true };
    return { preparation: { replayed: true, result }, paced: null };
  }
  return { preparation: { replayed: false, send: { messageId, from, contact, content, language, metaTemplateName } }, paced };
}

/** What Meta answered to one offer: the wamid, or the failure (a classified Graph error, or anything else thrown). */
export type MetaAnswer = { ok: true; wamid: string } | { ok: false; error: unknown };

/**
 * One call to Meta for a prepared send. A failed call is answered, not thrown (`recordMetaAnswer` records it); only
 * an account without a usable token throws, before anything is called.
 */
export async function offerToMeta(send: PreparedSend): Promise<MetaAnswer> {
  const { from, contact, content, messageId } = send;
  const graph = graphClientForAccount(from.account);
  // `to` when the phone number is known, else `recipient` (the BSUID; Meta: business-scoped-user-ids)
  const addressee = addresseeOf(contact) ?? { to: contact.phoneE164 };
  try {
    const sent =
      content.kind === "template"
        ? await graph.sendTemplateMessage({
            phoneNumberId: from.metaPhoneNumberId,
            ...addressee,
            templateName: send.metaTemplateName ?? content.templateName,
            languageCode: send.language ?? from.language,
            bodyParameters: content.parameters,
            bizOpaqueCallbackData: messageId,
          })
        : await graph.sendTextMessage({
            phoneNumberId: from.metaPhoneNumberId,
            ...addressee,
            body: content.body,
            bizOpaqueCallbackData: messageId,
          });
    return { ok: true, wamid: sent.messageId };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Records Meta's answer on the message: the wamid, or the refusal with its consequence, thrown in Recado's words. */
export async function recordMetaAnswer({ db, send, answer }: { db: Db; send: PreparedSend; answer: MetaAnswer }): Promise<SendResult> {
  const { messageId, from } = send;
  if (answer.ok) {
    // the wamid, after (status webhooks find the message by it; one arriving earlier is retried by the processor)
    await db.$executeRaw`UPDATE "messages" SET "wamid" = ${answer.wamid}, "status" = 'ACCEPTED', "statusRank" = 1, "statusAt" = now() WHERE "id" = ${messageId} AND "statusRank" < 1`;
    if (from.account.tokenInvalidAt) await markAccountTokenValid({ db, businessAccountId: from.account.id });
    return { messageId, wamid: answer.wamid, status: "ACCEPTED", replayed: false };
  }
  const { error } = answer;
  if (!isGraphApiError(error)) {
    await recordFailure(db, messageId, { appCode: "INTERNAL_ERROR", title: (error as Error).message.slice(0, 200) });
    throw error;
  }
  throw await failedByMeta(db, { messageId, error, contact: send.contact, from });
}

/**
 * The call to Meta and its recorded outcome. A rate limit (130429 / 131056) is waited out and tried again up to
 * `rateLimitAttempts` calls in all, then answered as RATE_LIMIT_EXCEEDED.
 */
export async function deliverSend({
  db,
  send,
  rateLimitAttempts = sendRetry.rateLimitAttempts,
}: {
  db: Db;
  send: PreparedSend;
  rateLimitAttempts?: number;
}): Promise<SendResult> {
  for (let attempt = 0; ; attempt++) {
    const answer = await offerToMeta(send);
    const error = answer.ok ? undefined : answer.error;
    if (isGraphApiError(error) && error.code === "RATE_LIMIT_EXCEEDED" && attempt + 1 < rateLimitAttempts) {
      await sleep(
        Math.min(
          sendRetry.maxBackoffMs,
          error.metaCode === metaThrottleCodes.pairRate ? pairRateRetryMs(attempt) : (error.retryAfterMs ?? 1000) * 2 ** attempt,
        ),
      );
      continue;
    }
    return recordMetaAnswer({ db, send, answer });
  }
}

/** Prepare and deliver, for callers that send one message at a time (the UI, the REST API, purchase orders). */
export async function sendMessage({
  rateLimitAttempts,
  ...request
}: SendRequest & {
  /** calls to Meta on 130429 / 131056 before giving up with RATE_LIMIT_EXCEEDED */
  rateLimitAttempts?: number;
}): Promise<SendResult> {
  const { preparation, paced } = await prepare(request, true);
  if (preparation.replayed) return preparation.result;
  return deliverPaced({ db: request.db, send: preparation.send, paced: paced!, rateLimitAttempts });
}

/**
 * `deliverSend` at the number's pace: the call leaves at the slot reserved with the attempt, and when the
 * process's sliding second has room (src/server/throughput/pacing.ts), so single sends and broadcasts on one
 * number share its limit. A rate-limited call waits as `deliverSend` does, then takes a fresh slot.
 */
async function deliverPaced({
  db,
  send,
  paced,
  rateLimitAttempts = sendRetry.rateLimitAttempts,
}: {
  db: Db;
  send: PreparedSend;
  paced: PacedAttempt;
  rateLimitAttempts?: number;
}): Promise<SendResult> {
  const phoneNumberId = send.from.phoneNumberId;
  let reservation = paced.reservation;
  for (let attempt = 0; ; attempt++) {
    const answered = await waitForReservedSlot(reservation, 0, processSendGuard, phoneNumberId, paced.limit);
    let answer: MetaAnswer;
    try {
      answer = await offerToMeta(send);
    } finally {
      answered();
    }
    const error = answer.ok ? undefined : answer.error;
    if (isGraphApiError(error) && error.code === "RATE_LIMIT_EXCEEDED" && attempt + 1 < rateLimitAttempts) {
      if (error.metaCode === metaThrottleCodes.throughput) {
        await pauseNumberSending({ db, phoneNumberId, forMs: throughputPauseMs, reason: "Meta answered 130429 (throughput reached)" });
      }
      await sleep(
        Math.min(
          sendRetry.maxBackoffMs,
          error.metaCode === metaThrottleCodes.pairRate ? pairRateRetryMs(attempt) : (error.retryAfterMs ?? 1000) * 2 ** attempt,
        ),
      );
      reservation = await reserveSendSlots({ db, phoneNumberId, count: 1, perSecond: 1000 / reservation.intervalMs });
      continue;
    }
    return recordMetaAnswer({ db, send, answer });
  }
}

async function recordFailure(db: Db, messageId: string, failure: { appCode: string; metaCode?: number; title?: string }) {
  await db.$executeRaw`
    UPDATE "messages" SET "status" = 'FAILED', "statusRank" = 5, "statusAt" = now(),
           "errorCode" = ${failure.metaCode ?? null}, "errorTitle" = ${failure.title ?? null}, "appErrorCode" = ${failure.appCode}
     WHERE "id" = ${messageId} AND "statusRank" < 5`;
}

/** Meta refused the send: log it on the message, apply the consequence, and answer in Recado's words. */
async function failedByMeta(
  db: Db,
  { messageId, error, contact, from }: { messageId: string; error: GraphApiError; contact: Contact; from: SendingNumber },
): Promise<AppError> {
  await recordFailure(db, messageId, { appCode: error.code, metaCode: error.metaCode, title: error.metaMessage || error.code });
  const base = { message_id: messageId, meta_error_code: error.metaCode ?? null };
  switch (error.code) {
    case "RECIPIENT_NOT_ON_WHATSAPP":
      await flagNotOnWhatsApp({ db, contactId: contact.id });
      return new AppError(
        "RECIPIENT_NOT_ON_WHATSAPP",
        "Phone number is not registered on WhatsApp",
        { ...base, phone: contact.phoneE164, contact_id: contact.id },
        { cause: error },
      );
    case "CONVERSATION_EXPIRED":
      return new AppError(
        "CONVERSATION_EXPIRED",
        "24-hour messaging window has expired",
        { ...base, conversation_id: contact.id, expired_at: null, solution: "Use an approved template message" },
        { cause: error },
      );
    case "RATE_LIMIT_EXCEEDED":
      return new AppError(
        "RATE_LIMIT_EXCEEDED",
        "WhatsApp rate limit exceeded",
        {
          ...base,
          limit:
            error.metaCode === metaThrottleCodes.pairRate
              ? "pair rate: about 1 message every 6 seconds to the same person"
              : "the number's throughput (80 msg/s STANDARD, 1,000 msg/s HIGH)",
          period: error.metaCode === metaThrottleCodes.pairRate ? "6 seconds" : "1 second",
          retry_after_seconds: Math.ceil((error.retryAfterMs ?? 1000) / 1000),
        },
        { cause: error },
      );
    case "TOKEN_EXPIRED": {
      const account = await markAccountTokenInvalid({ db, businessAccountId: from.account.id, reason: error.message });
      return new AppError(
        "TOKEN_EXPIRED",
        "WhatsApp access token has expired",
        {
          ...base,
          action_required: "Reconnect WhatsApp in Settings",
          expired_at: account.tokenInvalidAt?.toISOString() ?? new Date().toISOString(),
        },
        { cause: error },
      );
    }
    default:
      return new AppError(error.code, error.message, { ...base, ...error.details }, { cause: error });
  }
}
