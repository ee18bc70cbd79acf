import { inject } from "vitest";

// The same variables the app validates at start-up (src/server/env.ts), pointing at this run's database.
Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: inject("databaseUrl"),
  DATABASE_POOL_MAX: "5",
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "test-secret-that-is-long-enough-for-validation",
  META_GRAPH_BASE_URL: inject("simulatorUrl"),
  META_GRAPH_API_VERSION: "v25.0",
  META_APP_ID: "100000000000001",
  META_APP_SECRET: "test-app-secret",
  META_MASTER_WABA_ID: "102290129340398",
  META_ACCESS_TOKEN: "sim-master-token",
  META_WEBHOOK_VERIFY_TOKEN: "test-verify-token",
  META_REGISTRATION_PIN: "123456",
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
  INNGEST_DEV: "1",
});
