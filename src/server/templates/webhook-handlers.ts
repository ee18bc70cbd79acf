/** `message_template_status_update` (§5.6): a template's review outcome or quality action, applied to its row. */
import { registerWebhookHandler } from "@/server/webhooks/registry";
import { applyTemplateStatusUpdate } from "@/server/templates/templates";
import type { TemplateStatusUpdate } from "@/server/whatsapp/webhook-payload";

registerWebhookHandler("message_template_status_update", async (item, { db }) => {
  if (item.kind !== "template_status") return; // a value that did not match the documented shape: kept as a record
  await applyTemplateStatusUpdate({ db, wabaId: item.wabaId, update: item.payload as unknown as TemplateStatusUpdate });
});
