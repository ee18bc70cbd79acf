/**
 * The production rules on top of src/server/env.ts. `npm run serve` and the built server (`next start`, via
 * instrumentation) refuse to run when a secret is missing, too short, guessable, or one of the development
 * values this repository ships (the demo runner, .env.example, the tests, the simulator, the benches): those
 * values are public, so anything signed or encrypted with them can be forged by anyone who reads the code.
 * Problems name the variable and say what is wrong; they never contain the value.
 */

/**
 * Every secret-like value that appears in the repository's development files. A test greps those files and
 * fails when one is missing here, so a new development default is refused in production too.
 */
export const developmentSecretValues: readonly string[] = [
  // scripts/lib/dev-env.ts (npm start)
  "local-development-secret-not-for-production-use",
  "local-verify-token",
  "local-admin-api-token-0123456789",
  "dev-app-secret",
  "sim-master-token",
  // src/test/setup-env.ts, src/test/global-setup.ts, src/server/env.test.ts
  "test-secret-that-is-long-enough-for-validation",
  "test-app-secret",
  "test-verify-token",
  "short-secret",
  // scripts/bench/*
  "bench-secret-that-is-long-enough-for-validation",
  "bench-verify-token",
  "bench",
  // .env.example placeholders and the README's examples
  "EAAG...",
  "secret",
  "verify",
  "changeme",
  "change-me",
];

/** "x".repeat(32) and the like: long enough, but guessable. */
function distinctCharacters(value: string) {
  return new Set(value).size;
}

/** The embedded PGlite database of `npm start` (one session, no isolation between requests: never for production). */
export const embeddedDatabasePort = 54329;

export type EnvProblem = { name: string; problem: string };

const secretRules = [
  { name: "NEXTAUTH_SECRET", minLength: 32, make: "`openssl rand -base64 32`" },
  { name: "ADMIN_API_TOKEN", minLength: 32, make: "`openssl rand -base64 32`" },
  { name: "META_APP_SECRET", minLength: 16, make: "the App Secret of your Meta app (App settings → Basic)" },
  { name: "META_WEBHOOK_VERIFY_TOKEN", minLength: 24, make: "`openssl rand -hex 24`" },
] as const;

function secretProblem(value: string | undefined, minLength: number, make: string): string | null {
  if (value === undefined || value === "") return `required in production: set it to ${make}`;
  if (developmentSecretValues.includes(value)) return `is a development default published in Recado's repository: set it to ${make}`;
  if (value.length < minLength) return `too short (${value.length} characters, at least ${minLength}): set it to ${make}`;
  if (distinctCharacters(value) < 8) return `too guessable (fewer than 8 different characters): set it to ${make}`;
  return null;
}

function isMetasGraph(baseUrl: string | undefined) {
  if (!baseUrl) return false;
  try {
    return /(^|\.)facebook\.com$/.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

function isLocalHost(hostname: string) {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "::1";
}

/** What stops a production start, in the order of .env.example (`source`: the raw environment). */
export function productionProblems(source: Record<string, string | undefined>): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const add = (name: string, problem: string) => problems.push({ name, problem });

  if (source.RECADO_DEMO) add("RECADO_DEMO", "is set by `npm start` (the demo) only: unset it to run in production");

  const databaseUrl = source.DATABASE_URL;
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (isLocalHost(url.hostname) && Number(url.port) === embeddedDatabasePort) {
        add("DATABASE_URL", "points at the embedded demo database (PGlite): use a PostgreSQL server");
      }
    } catch {
      // the base schema reports a malformed URL
    }
  }
  if (source.DATABASE_POOL_MAX === "1") add("DATABASE_POOL_MAX", "1 is for the embedded demo database: use 10 or more against PostgreSQL");

  for (const rule of secretRules) {
    const value = source[rule.name];
    const problem = secretProblem(value, rule.minLength, rule.make);
    if (problem) add(rule.name, problem);
  }

  if (isMetasGraph(source.META_GRAPH_BASE_URL)) {
    const problem = secretProblem(source.META_ACCESS_TOKEN, 32, "the system-user access token of the shared account (Business settings)");
    if (problem) add("META_ACCESS_TOKEN", problem);
  }

  const key = source.TOKEN_ENCRYPTION_KEY;
  const makeKey = "set it to `openssl rand -base64 32`";
  if (key === undefined || key === "") add("TOKEN_ENCRYPTION_KEY", `required in production: ${makeKey}`);
  else if (developmentSecretValues.includes(key)) {
    add("TOKEN_ENCRYPTION_KEY", `is a development default published in Recado's repository: ${makeKey}`);
  } else if (new Set(Buffer.from(key, "base64")).size < 16) add("TOKEN_ENCRYPTION_KEY", `not random (too few different bytes): ${makeKey}`);

  if (source.INNGEST_DEV) add("INNGEST_DEV", "turns off Inngest's signature checks: unset it in production");
  if ((source.RECADO_JOBS ?? "inngest") === "inngest") {
    for (const name of ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"] as const) {
      const value = source[name];
      if (!value) add(name, "required with RECADO_JOBS=inngest: copy it from the Inngest dashboard (or your self-hosted server's keys)");
      else if (developmentSecretValues.includes(value) || value.length < 16) {
        add(name, "does not look like a key from the Inngest dashboard");
      }
    }
  }
  return problems;
}

/** Whether the production rules apply: the built server (NODE_ENV=production) unless the demo runner started it. */
export function productionRulesApply(source: Record<string, string | undefined>) {
  return source.NODE_ENV === "production" && source.RECADO_DEMO !== "1";
}

/**
 * Inngest dev mode skips the signature check on /api/inngest, so it is on only when asked for explicitly:
 * INNGEST_DEV=1 or the dev server's URL. Anything else (unset, 0, false) is cloud mode, which verifies every
 * request with INNGEST_SIGNING_KEY and answers unsigned introspection with 401.
 */
export function inngestDevModeRequested(source: Record<string, string | undefined>): boolean {
  const value = source.INNGEST_DEV?.trim() ?? "";
  return value === "1" || value === "true" || /^https?:\/\//.test(value);
}
