/**
 * What the webhook route takes from the HTTP request before anything is parsed: the body, read up to a limit,
 * and who sent it. Both are attacker-controlled until the signature is checked.
 */
import { clientAddressFrom } from "@/server/client-address";

/**
 * Meta's webhook payloads "can be up to 3MB" (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks):
 * up to 1,000 updates per POST. A larger body is answered 413 without being read any further.
 */
export const webhookBodyLimitBytes = 3 * 1024 * 1024;

/** The body, or null once it is larger than `limit` (checked on Content-Length and while streaming). */
export async function readBodyWithin(req: Request, limit = webhookBodyLimitBytes): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export type WebhookSource = {
  /** a parsed IP address; "invalid" when the trusted entry held something else; null when there is none */
  ip: string | null;
  userAgent: string | null;
};

/** The sender's address by the one rule for every caller (src/server/client-address.ts). */
export function webhookSourceOf(headers: Headers, trustedProxyHops: number): WebhookSource {
  const userAgent = headers.get("user-agent")?.slice(0, 200) ?? null;
  return { ip: clientAddressFrom(headers.get("x-forwarded-for"), trustedProxyHops), userAgent };
}
