/**
 * The webhook envelope (Meta: webhooks/reference/messages) and its flattening into items: every status, every inbound
 * message and every other change of a batch becomes one item with a stable idempotency key, so an item
 * re-delivered in another batch (duplicates are normal, Meta: webhooks/create-webhook-endpoint) is recognised. Meta's snake_case stays here:
 * item values are camelCase and JSON-safe (timestamps as Unix seconds), ready to be stored.
 *
 * Per item: unknown keys are kept in the envelope and unknown `field`s become generic "change" items, but an
 * entry, change, status or message that does not match its known shape (a status without an id, a timestamp
 * that is not Unix seconds in a sane window) becomes an "invalid" item carrying the reason and the raw value,
 * so the rest of the batch is stored and processed and the bad item can be quarantined. Only a body that is not
 * an envelope at all (or is nested deeper than Meta ever sends) is rejected.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

const graphId = z.union([z.string().min(1), z.number()]).transform(String);

/**
 * Webhook timestamps are Unix seconds, as strings of digits (Meta: webhooks/reference/messages) or integers. A value outside this window
 * (milliseconds, negative, years away) is refused rather than dated 1970 or year 33658; the upper bound allows
 * for clock skew between Meta and us.
 */
export const webhookTimestampWindow = { earliest: Date.UTC(2020, 0, 1) / 1000, skewSeconds: 24 * 3600 };

/**
 * The latest Unix second a timestamp may carry: set from `now` by flattenWebhookBatch before it parses (parsing is
 * synchronous, so no other batch can change it mid-way). The schemas are built once; building them per batch, and
 * zod compiling each new object schema on its first parse, cost more than the rest of the route.
 */
let latestAllowedSeconds = 0;

const unixSeconds = z
  .union([
    z.string().regex(/^\d{1,12}$/, 'expected Unix seconds as digits, e.g. "1763850000"'),
    z.number().int("expected whole Unix seconds"),
  ])
  .transform(Number)
  .superRefine((v, ctx) => {
    const latest = latestAllowedSeconds;
    if (v >= webhookTimestampWindow.earliest && v <= latest) return;
    ctx.addIssue({
      code: "custom",
      message: `expected Unix seconds between ${webhookTimestampWindow.earliest} (2020-01-01) and ${latest} (a day from now)`,
    });
  });
/** Seconds that are only informative (a conversation's expiry): kept when they are a number, dropped otherwise. */
const optionalSeconds = z
  .unknown()
  .transform((v) => (typeof v === "number" || (typeof v === "string" && /^\d{1,12}$/.test(v)) ? Number(v) : undefined));

// --- raw JSON ---------------------------------------------------------------------------------------------------

/** Meta's payloads nest about eight levels deep (entry → changes → value → messages → interactive → list_reply). */
export const webhookMaxNesting = 32;

/**
 * JSON.parse after a linear scan for nesting depth: a body nested deeper than Meta ever sends is refused before
 * anything recursive (validation, key hashing, Postgres' jsonb input) sees it.
 */
export function parseWebhookJson(
  text: string,
  maxNesting = webhookMaxNesting,
): { ok: true; json: unknown } | { ok: false; reason: string } {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxNesting) return { ok: false, reason: `nested more than ${maxNesting} levels deep` };
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message.slice(0, 200)})` };
  }
}

// --- envelope -------------------------------------------------------------------------------------------------

const changeSchema = z.looseObject({ field: z.string().min(1), value: z.unknown() });
const entrySchema = z.looseObject({
  id: graphId,
  time: unixSeconds.optional(),
  changes: z.array(z.unknown()).default([]),
});
/** Entries are checked one by one while flattening: one bad entry does not make the envelope unreadable. */
export const webhookEnvelopeSchema = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** Throws (a ZodError) when the JSON is not a webhook envelope; everything inside is accepted. */
export function parseWebhookPayload(json: unknown): WebhookEnvelope {
  return webhookEnvelopeSchema.parse(json);
}

export function safeParseWebhookPayload(json: unknown): { ok: true; payload: WebhookEnvelope } | { ok: false; error: string } {
  const result = webhookEnvelopeSchema.safeParse(json);
  return result.success ? { ok: true, payload: result.data } : { ok: false, error: z.prettifyError(result.error) };
}

// --- known change values (snake_case) --------------------------------------------------------------------------

const metaErrorSchema = z.object({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  conversation: z
    .object({ id: z.string().optional(), expiration_timestamp: optionalSeconds, origin: z.object({ type: z.string() }).optional() })
    .optional(),
  pricing: z
    .object({
      billable: z.boolean().optional(),
      pricing_model: z.string().optional(),
      type: z.string().optional(),
      category: z.string().optional(),
    })
    .optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(metaErrorSchema).optional(),
});

const inboundMessageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: unixSeconds,
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional(), description: z.string().optional() }).optional(),
    })
    .optional(),
  context: z
    .object({
      from: z.string().optional(),
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  errors: z.array(metaErrorSchema).optional(),
});

const contactSchema = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
});

/** The value of a `messages` change; its statuses and messages are checked one by one. */
const messagesValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: graphId }).optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(metaErrorSchema).optional(),
});

const templateStatusValueSchema = z.object({
  event: z.string(),
  // Meta: webhooks/reference/message_template_status_update: an integer in this webhook, a string everywhere else.
  message_template_id: graphId,
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  message_template_category: z.string().optional(),
  reason: z.string().nullable().optional(),
  rejection_info: z.object({ reason: z.string().optional(), recommendation: z.string().optional() }).optional(),
  other_info: z.object({ title: z.string().optional(), description: z.string().optional() }).optional(),
  disable_info: z.object({ disable_date: z.union([z.string(), z.number()]).optional() }).optional(),
});

const qualityUpdateValueSchema = z.object({
  display_phone_number: z.string(),
  event: z.string(),
  current_limit: z.string().optional(),
  old_limit: z.string().optional(),
  max_daily_conversations_per_business: z.union([z.string(), z.number()]).optional(),
});

const accountUpdateValueSchema = z.looseObject({ event: z.string(), phone_number: z.string().optional() });

// --- camelCase item values -------------------------------------------------------------------------------------

export type WebhookError = { code: number; title?: string; message?: string; details?: string; href?: string };

export type MessageStatusUpdate = {
  messageId: string;
  status: "sent" | "delivered" | "read" | "failed" | "played" | (string & {});
  /** Unix seconds */
  timestamp: number;
  recipientId?: string;
  recipientUserId?: string;
  errors: WebhookError[];
  pricing?: { billable?: boolean; pricingModel?: string; type?: string; category?: string };
  conversation?: { id?: string; originType?: string; expiresAt?: number };
  bizOpaqueCallbackData?: string;
};

export type InboundMessage = {
  messageId: string;
  /** absent for username-only users (Meta: business-scoped-user-ids) */
  from?: string;
  fromUserId?: string;
  timestamp: number;
  type: string;
  /** the body of a text message */
  text?: string;
  button?: { payload?: string; text?: string };
  interactive?: { type: string; id?: string; title?: string; description?: string };
  context?: { from?: string; messageId?: string; forwarded?: boolean; frequentlyForwarded?: boolean };
  contact?: { waId?: string; userId?: string; name?: string; username?: string };
  errors: WebhookError[];
  /** the type-specific object of other types (image, location, reaction, ...), camelCased */
  content?: unknown;
};

export type TemplateStatusUpdate = {
  event: string;
  templateId: string;
  templateName?: string;
  language?: string;
  category?: string;
  reason?: string | null;
  rejectionInfo?: { reason?: string; recommendation?: string };
  otherInfo?: { title?: string; description?: string };
  disableDate?: string | number;
};

export type PhoneNumberQualityUpdate = {
  displayPhoneNumber: string;
  event: string;
  currentLimit?: string;
  oldLimit?: string;
  maxDailyConversationsPerBusiness?: string | number;
};

export type AccountUpdate = { event: string; phoneNumber?: string; details: Record<string, unknown> };

type ItemBase = {
  /** idempotency key: the same item from any delivery, in any batch, gets the same key */
  key: string;
  field: string;
  /** null only for an invalid entry without a readable id */
  wabaId: string | null;
  phoneNumberId?: string;
  occurredAt?: Date;
};

export type WebhookItem =
  | (ItemBase & { kind: "status"; value: MessageStatusUpdate })
  | (ItemBase & { kind: "message"; value: InboundMessage })
  | (ItemBase & { kind: "errors"; value: { errors: WebhookError[] } })
  | (ItemBase & { kind: "template_status"; value: TemplateStatusUpdate })
  | (ItemBase & { kind: "quality_update"; value: PhoneNumberQualityUpdate })
  | (ItemBase & { kind: "account_update"; value: AccountUpdate })
  | (ItemBase & { kind: "change"; value: unknown })
  /** failed validation: `value` is the raw item as Meta sent it, `reason` says which field and what was expected */
  | (ItemBase & { kind: "invalid"; reason: string; value: unknown });

export type WebhookItemKind = WebhookItem["kind"];

// --- helpers ---------------------------------------------------------------------------------------------------

const camelKey = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Deep snake_case → camelCase of keys, for values the app receives as-is. */
function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelKey(k), camelizeKeys(v)]));
  }
  return value;
}

/** JSON with sorted keys: the same value hashes the same however Meta ordered its keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const hashOf = (...parts: unknown[]) => createHash("sha256").update(canonicalJson(parts)).digest("hex").slice(0, 32);

const dateOf = (seconds: number | undefined) => (seconds !== undefined ? new Date(seconds * 1000) : undefined);

/** "statuses[0].timestamp: expected ..." — the path and zod's message, never the offending value itself. */
function reasonOf(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 3)
    .map(
      (issue) =>
        `${[prefix, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/^\./, "")}: ${issue.message}`,
    )
    .join("; ")
    .slice(0, 500);
}

const errorsOf = (errors: z.infer<typeof metaErrorSchema>[] | undefined): WebhookError[] =>
  (errors ?? []).map((e) => ({
    code: e.code,
    ...(e.title ? { title: e.title } : {}),
    ...(e.message ? { message: e.message } : {}),
    ...(e.error_data?.details ? { details: e.error_data.details } : {}),
    ...(e.href ? { href: e.href } : {}),
  }));

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

type RawStatus = z.infer<typeof statusSchema>;
type RawInbound = z.infer<typeof inboundMessageSchema>;

function toStatus(s: RawStatus): MessageStatusUpdate {
  return withoutUndefined({
    messageId: s.id,
    status: s.status,
    timestamp: s.timestamp,
    recipientId: s.recipient_id,
    recipientUserId: s.recipient_user_id,
    errors: errorsOf(s.errors),
    pricing: s.pricing
      ? withoutUndefined({
          billable: s.pricing.billable,
          pricingModel: s.pricing.pricing_model,
          type: s.pricing.type,
          category: s.pricing.category,
        })
      : undefined,
    conversation: s.conversation
      ? withoutUndefined({ id: s.conversation.id, originType: s.conversation.origin?.type, expiresAt: s.conversation.expiration_timestamp })
      : undefined,
    bizOpaqueCallbackData: s.biz_opaque_callback_data,
  });
}

const knownMessageKeys = new Set(["id", "from", "from_user_id", "timestamp", "type", "text", "button", "interactive", "context", "errors"]);

function toInbound(m: RawInbound, contacts: z.infer<typeof contactSchema>[]): InboundMessage {
  // contacts[].wa_id may differ from messages[].from (Meta: webhooks/reference/messages); with a single contact it is that sender's.
  const contact = contacts.find((c) => c.wa_id !== undefined && c.wa_id === m.from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  const content = m[m.type];
  return withoutUndefined({
    messageId: m.id,
    from: m.from,
    fromUserId: m.from_user_id,
    timestamp: m.timestamp,
    type: m.type,
    text: m.text?.body,
    button: m.button ? withoutUndefined({ payload: m.button.payload, text: m.button.text }) : undefined,
    interactive: m.interactive
      ? withoutUndefined({
          type: m.interactive.type,
          id: reply?.id,
          title: reply?.title,
          description: m.interactive.list_reply?.description,
        })
      : undefined,
    context: m.context
      ? withoutUndefined({
          from: m.context.from,
          messageId: m.context.id,
          forwarded: m.context.forwarded,
          frequentlyForwarded: m.context.frequently_forwarded,
        })
      : undefined,
    contact: contact
      ? withoutUndefined({ waId: contact.wa_id, userId: contact.user_id, name: contact.profile?.name, username: contact.profile?.username })
      : undefined,
    errors: errorsOf(m.errors),
    content: !knownMessageKeys.has(m.type) && content !== undefined ? camelizeKeys(content) : undefined,
  });
}

// --- flattening ------------------------------------------------------------------------------------------------

/**
 * Every item of a batch, in order: each status, each inbound message, system errors, and each other change.
 *
 * Keys: `status:{wamid}:{status}` and `message:{wamid}` (Meta's suggested dedupe key, Meta: webhooks/create-webhook-endpoint). Other changes have
 * no id, so their key hashes the field, the account, the entry's `time` and the value: a re-delivery carries
 * the same `time` and collapses, while a genuinely new event with an identical value (a template approved
 * again after a pause) carries a new `time` and does not. Invalid items are keyed by a hash of what was sent, so
 * a re-delivered bad item is quarantined once.
 */
export function flattenWebhookBatch(payload: WebhookEnvelope, { now = new Date() }: { now?: Date } = {}): WebhookItem[] {
  const items: WebhookItem[] = [];
  latestAllowedSeconds = Math.floor(now.getTime() / 1000) + webhookTimestampWindow.skewSeconds;

  payload.entry.forEach((rawEntry, entryIndex) => {
    const parsedEntry = entrySchema.safeParse(rawEntry);
    if (!parsedEntry.success) {
      const wabaId = graphId.safeParse((rawEntry as { id?: unknown } | null)?.id);
      items.push(
        invalidItem("entry", wabaId.success ? wabaId.data : null, undefined, rawEntry, reasonOf(parsedEntry.error, `entry[${entryIndex}]`)),
      );
      return;
    }
    const entry = parsedEntry.data;
    const wabaId = entry.id;
    const entryTime = dateOf(entry.time);
    entry.changes.forEach((rawChange, changeIndex) => {
      const where = `entry[${entryIndex}].changes[${changeIndex}]`;
      const parsedChange = changeSchema.safeParse(rawChange);
      if (!parsedChange.success) {
        items.push(invalidItem("change", wabaId, entry.time, rawChange, reasonOf(parsedChange.error, where)));
        return;
      }
      const change = parsedChange.data;
      const field = change.field;
      const genericKey = () => `${field}:${hashOf(field, wabaId, entry.time ?? null, change.value)}`;
      const invalid = (raw: unknown, error: z.ZodError, prefix: string, extra: { phoneNumberId?: string } = {}) =>
        items.push({ ...invalidItem(field, wabaId, entry.time, raw, reasonOf(error, `${where}.value${prefix}`)), ...extra });

      if (field === "messages") {
        const parsed = messagesValueSchema.safeParse(change.value);
        if (!parsed.success) return invalid(change.value, parsed.error, "");
        const value = parsed.data;
        const phoneNumberId = value.metadata?.phone_number_id;
        const base = { field, wabaId, ...(phoneNumberId ? { phoneNumberId } : {}) };
        const contacts = (value.contacts ?? []).flatMap((c) => {
          const contact = contactSchema.safeParse(c);
          return contact.success ? [contact.data] : [];
        });
        (value.statuses ?? []).forEach((raw, i) => {
          const status = statusSchema.safeParse(raw);
          if (!status.success) return invalid(raw, status.error, `.statuses[${i}]`, base);
          const s = status.data;
          items.push({ ...base, kind: "status", key: `status:${s.id}:${s.status}`, occurredAt: dateOf(s.timestamp), value: toStatus(s) });
        });
        (value.messages ?? []).forEach((raw, i) => {
          const message = inboundMessageSchema.safeParse(raw);
          if (!message.success) return invalid(raw, message.error, `.messages[${i}]`, base);
          const m = message.data;
          items.push({ ...base, kind: "message", key: `message:${m.id}`, occurredAt: dateOf(m.timestamp), value: toInbound(m, contacts) });
        });
        if (value.errors?.length) {
          items.push({
            ...base,
            kind: "errors",
            key: `errors:${hashOf(field, wabaId, entry.time ?? null, value.errors)}`,
            occurredAt: entryTime,
            value: { errors: errorsOf(value.errors) },
          });
        }
        return;
      }
      if (field === "message_template_status_update") {
        const parsed = templateStatusValueSchema.safeParse(change.value);
        if (!parsed.success) return invalid(change.value, parsed.error, "");
        const v = parsed.data;
        items.push({
          field,
          wabaId,
          kind: "template_status",
          key: genericKey(),
          occurredAt: entryTime,
          value: withoutUndefined({
            event: v.event.toUpperCase(),
            templateId: v.message_template_id,
            templateName: v.message_template_name,
            language: v.message_template_language,
            category: v.message_template_category,
            reason: v.reason,
            rejectionInfo: v.rejection_info,
            otherInfo: v.other_info,
            disableDate: v.disable_info?.disable_date,
          }),
        });
        return;
      }
      if (field === "phone_number_quality_update") {
        const parsed = qualityUpdateValueSchema.safeParse(change.value);
        if (!parsed.success) return invalid(change.value, parsed.error, "");
        const v = parsed.data;
        items.push({
          field,
          wabaId,
          kind: "quality_update",
          key: genericKey(),
          occurredAt: entryTime,
          value: withoutUndefined({
            displayPhoneNumber: v.display_phone_number,
            event: v.event,
            currentLimit: v.current_limit,
            oldLimit: v.old_limit,
            maxDailyConversationsPerBusiness: v.max_daily_conversations_per_business,
          }),
        });
        return;
      }
      if (field === "account_update") {
        const parsed = accountUpdateValueSchema.safeParse(change.value);
        if (!parsed.success) return invalid(change.value, parsed.error, "");
        const { event, phone_number, ...rest } = parsed.data;
        items.push({
          field,
          wabaId,
          kind: "account_update",
          key: genericKey(),
          occurredAt: entryTime,
          value: withoutUndefined({ event, phoneNumber: phone_number, details: camelizeKeys(rest) as Record<string, unknown> }),
        });
        return;
      }
      const phoneNumberId = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata?.phone_number_id;
      items.push({
        field,
        wabaId,
        ...(typeof phoneNumberId === "string" ? { phoneNumberId } : {}),
        kind: "change",
        key: genericKey(),
        occurredAt: entryTime,
        value: camelizeKeys(change.value),
      });
    });
  });
  return items;
}

function invalidItem(field: string, wabaId: string | null, entryTime: number | undefined, raw: unknown, reason: string): WebhookItem {
  return {
    field,
    wabaId,
    kind: "invalid",
    key: `invalid:${field}:${hashOf(field, wabaId, entryTime ?? null, raw ?? null)}`,
    reason,
    value: raw ?? null,
  };
}
