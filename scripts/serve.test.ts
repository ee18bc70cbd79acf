/**
 * `npm run serve` refuses every development default and every missing secret (one test per variable), naming
 * the variable and never printing its value, and accepts strong values. Runs the real script (`--check` stops
 * after validation; starting the built server is covered by e2e/production.spec.ts).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { developmentSecretValues } from "@/server/env-production";
import { localEnv } from "./lib/dev-env";
import { strongProductionEnv } from "./lib/strong-env";

const demo = localEnv({ port: 3000, simPort: 4010, databaseUrl: "postgresql://postgres@127.0.0.1:54329/postgres", poolMax: 1 });

const strongEnv = () => strongProductionEnv();

function serve(env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "--check"], { env: env as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const without = (env: Record<string, string>, name: string) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));

/** The variable's problem line, and proof the value is not printed anywhere. */
async function expectRefused(env: Record<string, string | undefined>, name: string, reason: RegExp) {
  const result = await serve(env);
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const lines = result.stderr.split("\n").filter((line) => line.includes(`${name}:`));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  const value = env[name];
  if (value) expect(result.stdout + result.stderr).not.toContain(value);
  expect(result.stdout).not.toContain("configuration accepted");
}

const secrets = [
  "NEXTAUTH_SECRET",
  "TOKEN_ENCRYPTION_KEY",
  "ADMIN_API_TOKEN",
  "META_APP_SECRET",
  "META_WEBHOOK_VERIFY_TOKEN",
  "META_ACCESS_TOKEN",
] as const;

describe("npm run serve: production configuration", { timeout: 60_000 }, () => {
  it("starts with strong values", async () => {
    const result = await serve(strongEnv());
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("production configuration accepted");
    expect(result.code).toBe(0);
  });

  for (const name of secrets) {
    it(`refuses ${name} at npm start's development default, at the test suite's, and missing`, async () => {
      await Promise.all([
        expectRefused({ ...strongEnv(), [name]: demo[name] }, name, /development default|too guessable|not random/),
        ...(process.env[name]
          ? [expectRefused({ ...strongEnv(), [name]: process.env[name] }, name, /development default|too guessable|not random/)]
          : []),
        expectRefused(without(strongEnv(), name), name, /required/),
        expectRefused({ ...strongEnv(), [name]: "" }, name, /required/),
      ]);
    });
  }

  it("refuses a secret that is too short or guessable", async () => {
    await expectRefused(
      { ...strongEnv(), NEXTAUTH_SECRET: "Sh0rt-but-varied" },
      "NEXTAUTH_SECRET",
      /too short \(16 characters, at least 32\)/,
    );
    await expectRefused({ ...strongEnv(), NEXTAUTH_SECRET: "ab".repeat(20) }, "NEXTAUTH_SECRET", /too guessable/);
  });

  it("does not ask for a Meta access token of the simulator", async () => {
    const result = await serve({ ...strongEnv(), META_GRAPH_BASE_URL: "http://127.0.0.1:4010", META_ACCESS_TOKEN: "sim-master-token" });
    expect(result.code, result.stderr).toBe(0);
  });

  for (const name of ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"] as const) {
    it(`requires ${name} with RECADO_JOBS=inngest, not with inline jobs`, async () => {
      await expectRefused(without(strongEnv(), name), name, /required with RECADO_JOBS=inngest/);
      const inline = await serve({ ...without(strongEnv(), name), RECADO_JOBS: "inline" });
      expect(inline.code, inline.stderr).toBe(0);
    });
  }

  it("never runs Inngest in dev mode", async () => {
    await expectRefused({ ...strongEnv(), INNGEST_DEV: "1" }, "INNGEST_DEV", /signature checks/);
  });

  it("refuses the embedded database and the demo switch", async () => {
    await expectRefused({ ...strongEnv(), DATABASE_URL: demo.DATABASE_URL }, "DATABASE_URL", /embedded demo database/);
    await expectRefused(without(strongEnv(), "DATABASE_URL"), "DATABASE_URL", /required/);
    await expectRefused({ ...strongEnv(), RECADO_DEMO: "1" }, "RECADO_DEMO", /npm start/);
  });
});

describe("the list of development defaults", () => {
  // Every file that carries a development or test value for a secret.
  const devFiles = [
    "scripts/lib/dev-env.ts",
    "src/test/setup-env.ts",
    "src/test/global-setup.ts",
    "src/meta-simulator/defaults.ts",
    "src/server/env.test.ts",
    "playwright.config.ts",
    ".env.example",
    ...readdirSync("scripts/bench").map((file) => `scripts/bench/${file}`),
    ...readdirSync("e2e")
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `e2e/${file}`),
  ];
  const secretAssignment = /(?:SECRET|TOKEN|_KEY|[sS]ecret|[tT]oken)\w*["']?\s*[:=]\s*["'`]([^"'`$]{4,})["'`]/g;

  it("holds every secret value of the repository's development files", () => {
    const found = new Map<string, string>();
    for (const file of devFiles) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(secretAssignment)) found.set(match[1]!, file);
      if (file === ".env.example") {
        for (const match of text.matchAll(/^(\w*(?:SECRET|TOKEN|KEY)\w*)=(.+)$/gm)) found.set(match[2]!, file);
      }
    }
    expect(found.size).toBeGreaterThan(5);
    const missing = [...found].filter(([value]) => !developmentSecretValues.includes(value)).map(([value, file]) => `${file}: ${value}`);
    expect(missing).toEqual([]);
  });
});
