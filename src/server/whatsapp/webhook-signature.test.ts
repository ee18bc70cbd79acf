import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "@/server/whatsapp/webhook-signature";

const secret = "test-app-secret";
const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const hmac = (body: string | Uint8Array, key = secret) => signWebhookBody(body, key);

describe("verifyWebhookSignature", () => {
  const body = bytes('{"object":"whatsapp_business_account","entry":[]}');

  it("accepts a valid signature (upper-case hex too)", () => {
    expect(verifyWebhookSignature(body, hmac(body), secret)).toEqual({ ok: true });
    expect(verifyWebhookSignature(body, `sha256=${hmac(body).slice(7).toUpperCase()}`, secret)).toEqual({ ok: true });
  });

  it("reports a missing header", () => {
    expect(verifyWebhookSignature(body, null, secret)).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhookSignature(body, undefined, secret)).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhookSignature(body, "", secret)).toEqual({ ok: false, reason: "missing" });
  });

  it("reports a malformed header", () => {
    for (const header of [
      "sha1=abc",
      "sha256=",
      `sha256=${"z".repeat(64)}`,
      hmac(body).slice(0, -2),
      `${hmac(body)}00`,
      hmac(body).slice(7),
    ]) {
      expect(verifyWebhookSignature(body, header, secret)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("reports a mismatch for the wrong secret", () => {
    expect(verifyWebhookSignature(body, hmac(body, "another-secret"), secret)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("reports a mismatch when the body changed by one byte", () => {
    const header = hmac(body);
    const altered = new Uint8Array(body);
    altered[10] = (altered[10] ?? 0) ^ 1;
    expect(verifyWebhookSignature(altered, header, secret)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("verifies the raw bytes Meta sent, not re-serialised JSON (escaped unicode and slashes)", () => {
    // Meta escapes non-ASCII and "/" (PHP-style); JSON.parse + JSON.stringify turns them back into "é" and "/".
    const raw = '{"entry":[{"changes":[{"value":{"text":{"body":"Caf\\u00e9 \\/ pedido"}}}]}],"object":"whatsapp_business_account"}';
    const header = hmac(raw);
    expect(verifyWebhookSignature(bytes(raw), header, secret)).toEqual({ ok: true });
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).toContain("Café / pedido");
    expect(verifyWebhookSignature(bytes(reserialised), header, secret)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("accepts either secret during a rotation", () => {
    expect(verifyWebhookSignature(body, hmac(body, "old-secret"), ["new-secret", "old-secret"])).toEqual({ ok: true });
    expect(verifyWebhookSignature(body, hmac(body, "other"), ["new-secret", "old-secret"])).toEqual({ ok: false, reason: "mismatch" });
  });
});

describe("signWebhookBody", () => {
  it('is HMAC-SHA256 of the raw body with the app secret, as hex after "sha256=" (a known answer, computed with openssl)', () => {
    // printf '%s' '{"object":"whatsapp_business_account","entry":[]}' | openssl dgst -sha256 -hmac test-app-secret
    expect(signWebhookBody('{"object":"whatsapp_business_account","entry":[]}', secret)).toBe(
      "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
    );
  });

  it("produces what verify accepts, for bytes and strings alike", () => {
    const text = '{"a":"\\u00f1"}';
    expect(signWebhookBody(text, secret)).toBe(signWebhookBody(bytes(text), secret));
    expect(verifyWebhookSignature(bytes(text), signWebhookBody(text, secret), secret)).toEqual({ ok: true });
  });
});
