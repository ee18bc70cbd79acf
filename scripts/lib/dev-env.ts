import { randomBytes } from "node:crypto";

/**
 * Local defaults for every variable of src/server/env.ts: the app talks to the bundled Meta simulator and
 * needs no Meta account. These values are for a developer's machine only; production sets its own
 * (see .env.example). Anything already set in the environment (or .env) wins.
 */
export const simulatorDefaults = {
  masterWabaId: "102290129340398",
  accessToken: "sim-master-token",
  appId: "100000000000001",
  appSecret: "dev-app-secret",
  apiVersion: "v25.0",
};

export function localEnv({
  port,
  simPort,
  databaseUrl,
  poolMax,
}: {
  port: number;
  simPort: number;
  databaseUrl: string;
  poolMax: number;
}): Record<string, string> {
  const defaults: Record<string, string> = {
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXTAUTH_SECRET: "local-development-secret-not-for-production-use",
    META_GRAPH_BASE_URL: `http://127.0.0.1:${simPort}`,
    META_GRAPH_API_VERSION: simulatorDefaults.apiVersion,
    META_APP_ID: simulatorDefaults.appId,
    META_APP_SECRET: simulatorDefaults.appSecret,
    META_MASTER_WABA_ID: simulatorDefaults.masterWabaId,
    META_ACCESS_TOKEN: simulatorDefaults.accessToken,
    META_WEBHOOK_VERIFY_TOKEN: "local-verify-token",
    // the simulator's numbers use this 2-step PIN (src/meta-simulator/defaults.ts)
    META_REGISTRATION_PIN: "123456",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    ADMIN_API_TOKEN: "local-admin-api-token-0123456789",
    // no Inngest dev server here (it cannot be downloaded on these machines): run jobs in the app process
    RECADO_JOBS: "inline",
    // the production rules of src/server/env-production.ts are off for the demo (its values are all public)
    RECADO_DEMO: "1",
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(defaults)) env[key] = process.env[key] || value;
  // Inngest dev mode skips signature checks on /api/inngest: only with an Inngest dev server, never with inline jobs
  if (env.RECADO_JOBS === "inngest" && !process.env.INNGEST_DEV) env.INNGEST_DEV = "1";
  // Otherwise /api/inngest checks signatures; a key nobody knows (new every start) makes it refuse every request
  // with 401 instead of failing for want of a key.
  if (!env.INNGEST_DEV && !process.env.INNGEST_SIGNING_KEY) env.INNGEST_SIGNING_KEY = `signkey-demo-${randomBytes(32).toString("hex")}`;
  // The runner decides the database (embedded or given), so these always come from it.
  env.DATABASE_URL = databaseUrl;
  env.DATABASE_POOL_MAX = String(poolMax);
  return env;
}
