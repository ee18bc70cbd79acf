/**
 * Webhook dispatch: one handler per webhook `field` (messages, message_template_status_update, ...). Domains
 * export their handlers by field (src/server/<domain>/webhooks.ts); src/server/wiring lists them. An item whose
 * field has no handler is kept (status IGNORED), never an error.
 */
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

export type StoredWebhookItem = {
  id: string;
  key: string;
  field: string;
  kind: string;
  wabaId: string | null;
  phoneNumberId: string | null;
  payload: Prisma.JsonValue;
  occurredAt: Date | null;
};

export type WebhookHandler = (item: StoredWebhookItem, context: { db: Db }) => Promise<void>;
/**
 * A field's handler that takes every claimed item of its field at once (a drained batch of statuses is applied
 * in one statement); answers the items that failed, with their error. Throwing fails them all.
 */
export type WebhookBatchHandler = {
  batch: (items: StoredWebhookItem[], context: { db: Db }) => Promise<{ id: string; error: string }[]>;
};
export type WebhookHandlers = Record<string, WebhookHandler | WebhookBatchHandler>;

/**
 * The WhatsApp webhook fields a subscribed app receives
 * (https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account/).
 */
export const documentedWebhookFields = [
  "messages",
  "message_template_status_update",
  "message_template_quality_update",
  "message_template_components_update",
  "template_category_update",
  "phone_number_quality_update",
  "phone_number_name_update",
  "account_update",
  "account_review_update",
  "account_alerts",
  "business_capability_update",
  "user_preferences",
  "security",
] as const;

const recordOnly: WebhookHandler = async () => {};

/** Each documented field recorded (the stored item is the record) and marked processed; domain handlers override. */
export const recordOnlyWebhookHandlers: WebhookHandlers = Object.fromEntries(documentedWebhookFields.map((field) => [field, recordOnly]));
