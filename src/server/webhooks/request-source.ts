/**
 * What the webhook route takes from the HTTP request before anything is parsed: the body, read up to a limit,
 * and who sent it. Both are attacker-controlled until the signature is checked.
 */
import { isIP } from "node:net";

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
  /** a parsed IP address; "invalid" when the trusted hop held something else; null when there is no trusted hop */
  ip: string | null;
  userAgent: string | null;
};

/** A stored address is an IP in canonical text or the word "invalid", never the text someone sent. */
export function sourceAddressOf(candidate: string | null | undefined): string | null {
  if (candidate === null || candidate === undefined) return null;
  let text = candidate.trim();
  // "[2001:db8::1]:443" and "203.0.113.9:443" as some proxies write them
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (isIP(text) === 0) return "invalid";
  return isIP(text) === 6 ? text.toLowerCase() : text;
}

/**
 * The sender's address as the trusted proxies saw it. Each proxy appends the address it received the request
 * from to X-Forwarded-For, so with `trustedProxyHops` proxies in front of the app the client is the entry that
 * many places from the right; anything further left was written by the client and is ignored. With no trusted
 * proxy (the default) the header is not used at all.
 */
export function webhookSourceOf(headers: Headers, trustedProxyHops: number): WebhookSource {
  const userAgent = headers.get("user-agent")?.slice(0, 200) ?? null;
  if (trustedProxyHops <= 0) return { ip: null, userAgent };
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  const hop = hops.length >= trustedProxyHops ? hops[hops.length - trustedProxyHops] : undefined;
  return { ip: hop === undefined ? (hops.length ? "invalid" : null) : sourceAddressOf(hop), userAgent };
}
