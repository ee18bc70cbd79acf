/**
 * JSON the way Meta's webhooks serialise it: non-ASCII characters as \uXXXX and "/" as "\/" (PHP-style
 * json_encode). A receiver that re-serialises the parsed body before checking X-Hub-Signature-256 computes a
 * different HMAC, which is exactly the bug these bytes are meant to expose (Meta: webhooks/create-webhook-endpoint: sign the raw body).
 */
export function metaJson(value: unknown): string {
  // "/" and non-ASCII characters only ever occur inside JSON strings, so escaping them textually is safe.
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
