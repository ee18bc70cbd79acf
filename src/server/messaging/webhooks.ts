/** The `messages` webhook field: statuses of what we sent and messages people send us. */
import { applyStatusUpdates } from "@/server/messaging/webhook-status";
import { handleInboundMessage } from "@/server/messaging/inbound";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";
import type { InboundMessage, MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";

export const messagingWebhookHandlers = {
  messages: {
    /** A drained batch's statuses in one statement (src/server/messaging/webhook-status.ts); inbound messages one by one. */
    async batch(items, { db }) {
      const failed: { id: string; error: string }[] = [];
      const statuses = items.filter((item) => item.kind === "status");
      if (statuses.length)
        await applyStatusUpdates({ db, updates: statuses.map((item) => item.payload as unknown as MessageStatusUpdate) });
      for (const item of items) {
        if (item.kind !== "message" || !item.phoneNumberId) continue; // "errors" items (batch-level errors) are kept as the record
        try {
          await handleInboundMessage({ db, metaPhoneNumberId: item.phoneNumberId, message: item.payload as unknown as InboundMessage });
        } catch (error) {
          failed.push({ id: item.id, error: (error as Error).message });
        }
      }
      return failed;
    },
  },
} satisfies WebhookHandlers;
