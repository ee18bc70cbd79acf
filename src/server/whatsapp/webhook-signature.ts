/**
 * X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw body) https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint.
 *
 * Always over the bytes exactly as received: Meta serialises with escaped unicode ("\u00e9") and escaped
 * slashes ("\/"), so JSON that was parsed and re-serialised no longer matches the signature.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "mismatch" };

const headerPattern = /^sha256=([0-9a-fA-F]{64})$/;

export function signWebhookBody(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Constant-time check of the header against the body. `appSecret` may list several secrets, so an app-secret
 * rotation can accept the old and the new one for a transition window (Meta: webhooks/create-webhook-endpoint).
 */
export function verifyWebhookSignature(
  rawBody: Uint8Array,
  headerValue: string | null | undefined,
  appSecret: string | readonly string[],
): SignatureCheck {
  if (headerValue === null || headerValue === undefined || headerValue.trim() === "") return { ok: false, reason: "missing" };
  const hex = headerPattern.exec(headerValue.trim())?.[1];
  if (!hex) return { ok: false, reason: "malformed" };
  const given = Buffer.from(hex, "hex");
  const secrets = typeof appSecret === "string" ? [appSecret] : appSecret;
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(rawBody).digest();
    // timingSafeEqual throws on different lengths; both are 32 bytes here, checked anyway.
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: "mismatch" };
}
