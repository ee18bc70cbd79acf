/**
 * `message_template_status_update`: a template's review outcome or quality action, applied to its row
 * (https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account/#message_template_status_update).
 * `template_category_update` and `message_template_quality_update`: its category and quality score (templates/updates.ts).
 */
import { applyTemplateStatusUpdate } from "@/server/templates/templates";
import { applyTemplateCategoryUpdate, applyTemplateQualityUpdate } from "@/server/templates/updates";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import type { TemplateStatusUpdate } from "@/server/whatsapp/webhook-payload";

const valueOf = (payload: unknown) => (payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>) : {});

export const templateWebhookHandlers = {
  async message_template_status_update(item, { db }) {
    if (item.kind !== "template_status") return; // a value that did not match the documented shape: kept as a record
    await applyTemplateStatusUpdate({ db, wabaId: item.wabaId, update: item.payload as unknown as TemplateStatusUpdate });
  },
  async template_category_update(item, { db }) {
    await applyTemplateCategoryUpdate({ db, wabaId: item.wabaId, value: valueOf(item.payload) });
  },
  async message_template_quality_update(item, { db }) {
    await applyTemplateQualityUpdate({ db, wabaId: item.wabaId, value: valueOf(item.payload) });
  },
} satisfies WebhookHandlers;
