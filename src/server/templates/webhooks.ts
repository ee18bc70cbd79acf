/**
 * `message_template_status_update`: a template's review outcome or quality action, applied to its row
 * (https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account/#message_template_status_update).
 */
import { applyTemplateStatusUpdate } from "@/server/templates/templates";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import type { TemplateStatusUpdate } from "@/server/whatsapp/webhook-payload";

export const templateWebhookHandlers = {
  async message_template_status_update(item, { db }) {
    if (item.kind !== "template_status") return; // a value that did not match the documented shape: kept as a record
    await applyTemplateStatusUpdate({ db, wabaId: item.wabaId, update: item.payload as unknown as TemplateStatusUpdate });
  },
} satisfies WebhookHandlers;
