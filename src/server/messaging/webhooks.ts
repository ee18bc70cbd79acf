/** The `messages` webhook field: statuses of what we sent and messages people send us. */
import { applyStatusUpdate } from "@/server/messaging/webhook-status";
import { handleInboundMessage } from "@/server/messaging/inbound";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import type { InboundMessage, MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";

export const messagingWebhookHandlers = {
  async messages(item, { db }) {
    if (item.kind === "status") {
      await applyStatusUpdate({ db, update: item.payload as unknown as MessageStatusUpdate });
    } else if (item.kind === "message" && item.phoneNumberId) {
      await handleInboundMessage({ db, metaPhoneNumberId: item.phoneNumberId, message: item.payload as unknown as InboundMessage });
    }
    // "errors" items (a batch-level error Meta reports) are kept as the record
  },
} satisfies WebhookHandlers;
