/**
 * The `messages` webhook field: statuses of what we sent and messages people send us. Also wires the template
 * handlers (one import line in src/server/webhooks/handlers.ts brings in the whole messaging domain).
 */
import "@/server/templates/webhook-handlers";
import { registerWebhookHandler } from "@/server/webhooks/registry";
import { applyStatusUpdate } from "@/server/messaging/webhook-status";
import { handleInboundMessage } from "@/server/messaging/inbound";
import type { InboundMessage, MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";

registerWebhookHandler("messages", async (item, { db }) => {
  if (item.kind === "status") {
    await applyStatusUpdate({ db, update: item.payload as unknown as MessageStatusUpdate });
  } else if (item.kind === "message" && item.phoneNumberId) {
    await handleInboundMessage({ db, metaPhoneNumberId: item.phoneNumberId, message: item.payload as unknown as InboundMessage });
  }
  // "errors" items (a batch-level error Meta reports) are kept as the record
});
