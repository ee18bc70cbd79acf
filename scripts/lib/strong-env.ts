/**
 * What an operator following the README's "Deploying Recado" sets: strong random values, Meta's Graph API and
 * Inngest Cloud. The tests of `npm run serve` start from it (and override what they test).
 */
import { randomBytes } from "node:crypto";

export function strongProductionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    DATABASE_URL: "postgresql://recado@db.internal:5432/recado",
    NEXTAUTH_URL: "https://recado.example.com",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    META_GRAPH_BASE_URL: "https://graph.facebook.com",
    META_GRAPH_API_VERSION: "v25.0",
    META_APP_ID: "100000000000001",
    META_APP_SECRET: randomBytes(16).toString("hex"),
    META_MASTER_WABA_ID: "102290129340398",
    META_ACCESS_TOKEN: `EAAG${randomBytes(48).toString("base64url")}`,
    META_WEBHOOK_VERIFY_TOKEN: randomBytes(24).toString("hex"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_API_TOKEN: randomBytes(32).toString("base64"),
    RECADO_JOBS: "inngest",
    INNGEST_SIGNING_KEY: `signkey-prod-${randomBytes(32).toString("hex")}`,
    INNGEST_EVENT_KEY: randomBytes(32).toString("base64url"),
    ...overrides,
  };
}
