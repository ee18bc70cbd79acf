import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../scripts/lib/database";
import { applyMigrations } from "../scripts/lib/migrate";
import { strongProductionEnv } from "../scripts/lib/strong-env";

// `npm run serve` with strong values starts the production build, and the attacks of the demo fail against it:
// a cookie made with the demo's public NEXTAUTH_SECRET, an unsigned Inngest step run, unsigned introspection.

const port = Number(process.env.E2E_PORT ?? 3100) + 1;
const base = `http://127.0.0.1:${port}`;
const serverUrl = process.env.DATABASE_URL ?? defaultServerUrl;
const database = uniqueDatabaseName("recado_e2e_serve");
let server: ChildProcess | undefined;
let output = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const databaseUrl = await createDatabase(serverUrl, database);
  await applyMigrations(databaseUrl);
  server = spawn("npx", ["tsx", "scripts/serve.ts", "--port", String(port), "--hostname", "127.0.0.1"], {
    env: strongProductionEnv({
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: base,
      // no Inngest server here: relaying fails and is retried, which is what production does while Inngest is down
      INNGEST_BASE_URL: "http://127.0.0.1:9",
    }) as unknown as NodeJS.ProcessEnv,
    detached: true,
  });
  const started = server;
  started.stdout?.on("data", (chunk) => (output += chunk));
  started.stderr?.on("data", (chunk) => (output += chunk));
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`${base}/signin`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (started.exitCode !== null) throw new Error(`npm run serve exited ${started.exitCode}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm run serve did not answer:\n${output}`);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await dropDatabase(serverUrl, database).catch(() => undefined);
});

test("npm run serve starts with strong values and says so", async ({ request }) => {
  expect(output).toContain("production configuration accepted");
  const page = await request.get(`${base}/signin`);
  expect(page.status()).toBe(200);
  expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

test("a session cookie made with the demo's NEXTAUTH_SECRET is not a session", async ({ request }) => {
  const forged = await encode({
    secret: "local-development-secret-not-for-production-use",
    token: { sub: "anyone", role: "PLATFORM_ADMIN", tenantId: null, sessionVersion: 0 },
  });
  const stats = await request.get(`${base}/api/trpc/admin.stats`, { headers: { cookie: `next-auth.session-token=${forged}` } });
  expect(stats.status()).toBe(401);
  const admin = await request.get(`${base}/admin`, { headers: { cookie: `next-auth.session-token=${forged}` }, maxRedirects: 0 });
  expect(admin.status()).toBe(307);
  expect(admin.headers().location).toContain("/signin");
});

test("an unsigned Inngest step run is refused and introspection says nothing", async ({ request }) => {
  const run = await request.post(`${base}/api/inngest?fnId=recado-sweep-webhook-items&stepId=step`, {
    data: {
      event: { name: "inngest/scheduled.timer", data: {} },
      events: [],
      steps: {},
      ctx: { run_id: "x", attempt: 0, stack: { stack: [], current: 0 } },
      version: 1,
    },
  });
  expect(run.status()).toBe(401);
  expect(await run.text()).not.toContain("StepRun");
  const introspection = await request.get(`${base}/api/inngest`);
  expect(introspection.status()).toBe(401);
  expect(await introspection.text()).not.toMatch(/function_count|mode/);
});
