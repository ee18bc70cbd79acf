/**
 * Webhook dispatch: one handler per webhook `field` (messages, message_template_status_update, ...). Domain
 * modules register theirs; an item whose field has no handler is kept (status IGNORED), never an error.
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

const handlers = new Map<string, WebhookHandler>();

export function registerWebhookHandler(field: string, handler: WebhookHandler) {
  handlers.set(field, handler);
}

export function webhookHandlerFor(field: string): WebhookHandler | undefined {
  return handlers.get(field);
}

export function registeredWebhookFields(): string[] {
  return [...handlers.keys()].sort();
}
