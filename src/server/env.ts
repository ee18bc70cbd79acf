/**
 * Every environment variable Recado reads, validated with zod in one place (documented in .env.example).
 * Parsed lazily on first use so `next build` needs none of them; `instrumentation.ts` calls getEnv() when the
 * server starts, so a missing or malformed variable stops start-up with a message naming it.
 */
import { z } from "zod";
import { productionProblems, productionRulesApply, type EnvProblem } from "@/server/env-production";

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL, e.g. postgresql://postgres@127.0.0.1:5432/recado");

/** An empty value (a line copied from .env.example and left blank) means unset. */
const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

/** A retention period in whole days (at least one day, at most ten years). */
const retentionDays = (what: string, fallback: number) =>
  z.preprocess(
    blankIsUnset,
    z.coerce
      .number(`expected a whole number of days to keep ${what}, e.g. ${fallback}`)
      .int(`expected a whole number of days to keep ${what}, e.g. ${fallback}`)
      .min(1, `expected at least 1 day to keep ${what}, e.g. ${fallback}`)
      .max(3650, `expected at most 3650 days (ten years) to keep ${what}, e.g. ${fallback}`)
      .default(fallback),
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),

  DATABASE_URL: postgresUrl,
  /** 1 against the embedded PGlite database (one session only), more against a real Postgres. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

  NEXTAUTH_URL: z.url("expected the public URL of this app, e.g. http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(32, "expected at least 32 random characters, e.g. the output of `openssl rand -base64 32`"),

  META_GRAPH_BASE_URL: z.url("expected https://graph.facebook.com or the simulator's URL, e.g. http://127.0.0.1:4010"),
  META_GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, "expected a Graph API version such as v25.0"),
  META_APP_ID: z.string().min(1, "expected the Meta app id"),
  META_APP_SECRET: z.string().min(1, "expected the Meta app secret (signs webhooks)"),
  META_MASTER_WABA_ID: z.string().regex(/^\d+$/, "expected the numeric id of the shared WhatsApp Business Account"),
  META_ACCESS_TOKEN: z.string().min(1, "expected the system-user access token of the shared account"),
  META_WEBHOOK_VERIFY_TOKEN: z.string().min(1, "expected the token Meta echoes in the webhook handshake"),
  /** Phone number id used when a tenant has no number of its own (purchase-order fallback). */
  META_DEFAULT_PHONE_NUMBER_ID: z.string().regex(/^\d+$/).optional(),

  /** 32 bytes, base64: encrypts tenant-owned WABA tokens at rest. */
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, "expected 32 random bytes in base64, e.g. `openssl rand -base64 32`"),
  /** Bearer token for the admin REST API (scripts and curl). Unset: the REST API accepts admin sessions only. */
  ADMIN_API_TOKEN: z.string().min(24, "expected at least 24 random characters").optional(),

  /**
   * Where background jobs run: `inngest` (an Inngest server or Inngest Cloud) or `inline` (in this process, for
   * machines without an Inngest server; `npm start` and the e2e suite use it). Jobs are stored first either way.
   */
  RECADO_JOBS: z.enum(["inngest", "inline"], "expected inngest or inline").default("inngest"),
  /** The two-step verification PIN sent with POST /{id}/register (Meta: business-phone-numbers/registration); it becomes the PIN of a number without one. */
  META_REGISTRATION_PIN: z
    .string()
    .regex(/^\d{6}$/, "expected the 6-digit two-step verification PIN, e.g. 123456")
    .optional(),
  /** How often every number's health is checked (cron syntax); default every 5 minutes. */
  HEALTH_CHECK_CRON: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, "expected a cron expression, e.g. */5 * * * *")
    .optional(),

  /** Retention (src/server/compliance/retention.ts): days until message content is cleared; default 90. */
  RETENTION_CONTENT_DAYS: retentionDays("message content", 90),
  /** Days until delivery logs (status history, stored webhook items) are deleted; default 365. */
  RETENTION_DELIVERY_LOG_DAYS: retentionDays("delivery logs", 365),
  /** Days a dispatched job outbox row is kept after it was handed over (or given up); default 30. */
  RETENTION_JOB_OUTBOX_DAYS: retentionDays("dispatched job outbox rows", 30),
  /** When the daily retention run starts (cron syntax, UTC); default 03:30 every day. */
  RETENTION_CRON: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^\S+( \S+){4,5}$/, "expected a cron expression, e.g. 30 3 * * *")
      .optional(),
  ),

  /** Reverse proxies in front of the app that append to X-Forwarded-For (0: none, the socket address is the client). */
  TRUSTED_PROXY_HOPS: z.coerce
    .number("expected a whole number of proxies, e.g. 1")
    .int("expected a whole number of proxies, e.g. 1")
    .min(0)
    .max(10, "expected at most 10 proxies")
    .default(0),
  /** Set by `npm start` (the demo runner) only: the production rules of src/server/env-production.ts are off. */
  RECADO_DEMO: z.literal("1", "expected 1 (set by npm start) or unset").optional(),

  /** 1 (or the dev server's URL): Inngest dev mode, which skips signature checks. Never in production. */
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: EnvProblem[]) {
    super(
      "Recado cannot start: these environment variables are missing or invalid (see .env.example):\n" +
        problems.map(({ name, problem }) => `  - ${name}: ${problem}`).join("\n"),
    );
    this.name = "EnvError";
  }
}

/**
 * The base schema everywhere; in production (src/server/env-production.ts) also no secret left at a development
 * default, no Inngest dev mode, no embedded database. One problem per variable, never its value.
 */
export function parseEnv(
  source: Record<string, string | undefined>,
  { production = productionRulesApply(source) }: { production?: boolean } = {},
): Env {
  const result = envSchema.safeParse(source);
  const problems: EnvProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        name: issue.path.join("."),
        // zod says "expected string, received undefined" for a missing variable; say it plainly
        problem: source[String(issue.path[0])] === undefined ? "required but not set" : issue.message,
      }));
  if (production) {
    // the production rule says more (e.g. "a development default") than the base schema for the same variable
    for (const problem of productionProblems(source)) {
      const known = problems.findIndex((other) => other.name === problem.name);
      if (known === -1) problems.push(problem);
      else problems[known] = problem;
    }
  }
  if (result.success && problems.length === 0) return result.data;
  throw new EnvError(problems);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
