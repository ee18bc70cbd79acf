/** Message statuses in the only order they may move https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint: sent < delivered < read; failed terminal). */
import type { MessageStatus } from "@/generated/prisma/enums";

export const statusRank: Record<MessageStatus, number> = {
  RECEIVED: 0,
  PENDING: 0,
  ACCEPTED: 1,
  SENT: 2,
  DELIVERED: 3,
  READ: 4,
  FAILED: 5,
};

/** Meta's webhook status → ours; `played` (a voice message was played) counts as read. */
export function statusFromWebhook(status: string): MessageStatus | null {
  switch (status) {
    case "sent":
      return "SENT";
    case "delivered":
      return "DELIVERED";
    case "read":
    case "played":
      return "READ";
    case "failed":
      return "FAILED";
    default:
      return null;
  }
}
