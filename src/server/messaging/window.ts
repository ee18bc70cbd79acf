/** The customer service window: 24 hours from the contact's last inbound message https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages. */
export const serviceWindowMs = 24 * 60 * 60 * 1000;

export function serviceWindow(lastInboundAt: Date | null, now = new Date()) {
  if (!lastInboundAt) return { open: false as const, expiresAt: null, expiredAt: null };
  const expiresAt = new Date(lastInboundAt.getTime() + serviceWindowMs);
  return expiresAt > now
    ? { open: true as const, expiresAt, expiredAt: null }
    : { open: false as const, expiresAt: null, expiredAt: expiresAt };
}
