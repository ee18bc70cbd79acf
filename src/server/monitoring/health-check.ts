/**
 * The platform's health, for load balancers and for admins (`GET /api/health`).
 *
 * Anyone may ask whether Recado is alive and ready: that is one `SELECT 1` (ready when the database answers).
 * An admin gets the named checks as well: whether Meta's Graph API answers the shared account's token, which
 * numbers Meta paused with 130429 and until when, the messages still waiting for Meta, failures of the last 24 h,
 * templates by status, the job outbox and the webhook backlog. The Graph call is cached for 30 s and the database
 * counts for a few seconds, so a load balancer polling every second costs Meta nothing and the answer stays fast.
 */
import type { Db } from "@/server/db";
import { createGraphClient, isGraphApiError } from "@/server/whatsapp";
import type { Env } from "@/server/env";

export type HealthStatus = "healthy" | "degraded" | "unhealthy";

/** Reaching Meta with the shared account's token: a cheap read that fails with 190 when the token is refused. */
export type GraphConnectionProbe = () => Promise<void>;

export type ConnectionCheck = {
  ok: boolean;
  checked_at: string;
  /** plain words: why the check failed (never a token) */
  error?: string;
  /** business accounts whose token Meta refused (error 190), shared or a bakery's own */
  accounts_with_invalid_token: number;
};

export type HealthChecks = {
  connection: ConnectionCheck;
  rate_limit: {
    paused_numbers: number;
    numbers: { phone_number_id: string; display_phone_number: string; paused_until: string; reason: string | null }[];
  };
  pending_messages: number;
  failed_messages_24h: number;
  templates: { approved: number; pending: number; rejected: number };
  job_outbox: { waiting: number; failing: number; oldest_waiting_at: string | null };
  webhooks: { backlog: number; failing: number; quarantined: number; oldest_waiting_at: string | null };
};

export type HealthReport = { status: HealthStatus; checks: HealthChecks };

/** Short-lived answers kept between requests; one per process (the route's), a fresh one per test. */
export type HealthCache = {
  connection?: { value: Omit<ConnectionCheck, "accounts_with_invalid_token">; at: number; refreshing?: Promise<void> };
  counts?: { value: Omit<HealthChecks, "connection">; at: number };
};

export const healthCacheTtl = { connectionMs: 30_000, countsMs: 3_000 };

export function createHealthCache(): HealthCache {
  return {};
}

/** Liveness and readiness: the database answers. Never throws. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

async function probeConnection(probe: GraphConnectionProbe): Promise<Omit<ConnectionCheck, "accounts_with_invalid_token">> {
  const checkedAt = new Date().toISOString();
  try {
    await probe();
    return { ok: true, checked_at: checkedAt };
  } catch (error) {
    return { ok: false, checked_at: checkedAt, error: connectionErrorText(error) };
  }
}

function connectionErrorText(error: unknown): string {
  if (!isGraphApiError(error)) return "Meta's Graph API did not answer as expected.";
  if (error.kind === "auth") return "Meta refused the shared account's access token (error 190): replace META_ACCESS_TOKEN and restart.";
  if (error.transport) return `Meta's Graph API could not be reached (${error.transport}).`;
  return `Meta's Graph API refused the check${error.httpStatus ? ` (HTTP ${error.httpStatus})` : ""}.`;
}

/**
 * The Graph check, cached `healthCacheTtl.connectionMs`. The first request waits for it; later ones get the last
 * answer at once and, once it is stale, start one refresh in the background (answers stay within milliseconds).
 */
async function connectionCheck(cache: HealthCache, probe: GraphConnectionProbe, now: number) {
  const cached = cache.connection;
  if (!cached) {
    const value = await probeConnection(probe);
    cache.connection = { value, at: Date.now() };
    return value;
  }
  if (now - cached.at >= healthCacheTtl.connectionMs && !cached.refreshing) {
    cached.refreshing = probeConnection(probe).then((value) => {
      cache.connection = { value, at: Date.now() };
    });
  }
  return cached.value;
}

/** The database's part of the checks (also the admin overview's backlog figures). */
export async function countChecks(db: Db): Promise<Omit<HealthChecks, "connection">> {
  const since24h = new Date(Date.now() - 24 * 3600_000);
  const [paused, pending, failed, templates, outbox, webhooks] = await Promise.all([
    db.$queryRaw<{ meta_id: string; display: string; paused_until: Date; reason: string | null }[]>`
      SELECT p."metaPhoneNumberId" AS meta_id, p."displayPhoneNumber" AS display, s."pausedUntil" AS paused_until,
             s."pauseReason" AS reason
      FROM "send_pacing" s JOIN "phone_numbers" p ON p."id" = s."phoneNumberId"
      WHERE s."pausedUntil" > (clock_timestamp() AT TIME ZONE 'UTC')
      ORDER BY s."pausedUntil" DESC`,
    db.message.count({ where: { direction: "OUTBOUND", status: "PENDING" } }),
    db.message.count({ where: { direction: "OUTBOUND", status: "FAILED", statusAt: { gte: since24h } } }),
    db.messageTemplate.groupBy({ by: ["status"], where: { status: { in: ["APPROVED", "PENDING", "REJECTED"] } }, _count: true }),
    db.$queryRaw<{ waiting: number; failing: number; oldest: Date | null }[]>`
      SELECT count(*)::int AS waiting, count(*) FILTER (WHERE "attempts" > 0)::int AS failing, min("createdAt") AS oldest
      FROM "job_outbox" WHERE "dispatchedAt" IS NULL`,
    db.$queryRaw<{ backlog: number; failing: number; quarantined: number; oldest: Date | null }[]>`
      SELECT count(*) FILTER (WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED'))::int AS backlog,
             count(*) FILTER (WHERE "status" = 'FAILED')::int AS failing,
             count(*) FILTER (WHERE "status" = 'QUARANTINED')::int AS quarantined,
             min("createdAt") FILTER (WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED')) AS oldest
      FROM "webhook_items" WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED', 'QUARANTINED')`,
  ]);
  const templateCount = (status: string) => templates.find((t) => t.status === status)?._count ?? 0;
  return {
    rate_limit: {
      paused_numbers: paused.length,
      numbers: paused.map((p) => ({
        phone_number_id: p.meta_id,
        display_phone_number: p.display,
        paused_until: p.paused_until.toISOString(),
        reason: p.reason,
      })),
    },
    pending_messages: pending,
    failed_messages_24h: failed,
    templates: { approved: templateCount("APPROVED"), pending: templateCount("PENDING"), rejected: templateCount("REJECTED") },
    job_outbox: { waiting: outbox[0]!.waiting, failing: outbox[0]!.failing, oldest_waiting_at: outbox[0]!.oldest?.toISOString() ?? null },
    webhooks: {
      backlog: webhooks[0]!.backlog,
      failing: webhooks[0]!.failing,
      quarantined: webhooks[0]!.quarantined,
      oldest_waiting_at: webhooks[0]!.oldest?.toISOString() ?? null,
    },
  };
}

/**
 * Every check, for an admin. Degraded (still 200: Recado serves, something needs a look) when Meta cannot be
 * reached or refuses a token, a number is paused by Meta, or webhook items sit in quarantine.
 */
export async function healthReport({
  db,
  cache,
  probe,
}: {
  db: Db;
  cache: HealthCache;
  probe: GraphConnectionProbe;
}): Promise<HealthReport> {
  const now = Date.now();
  const countsFresh = cache.counts && now - cache.counts.at < healthCacheTtl.countsMs;
  const [connection, counts, invalidTokens] = await Promise.all([
    connectionCheck(cache, probe, now),
    countsFresh ? cache.counts!.value : countChecks(db),
    db.businessAccount.count({ where: { tokenInvalidAt: { not: null } } }),
  ]);
  if (!countsFresh) cache.counts = { value: counts, at: now };
  const checks: HealthChecks = { connection: { ...connection, accounts_with_invalid_token: invalidTokens }, ...counts };
  const degraded = !connection.ok || invalidTokens > 0 || counts.rate_limit.paused_numbers > 0 || counts.webhooks.quarantined > 0;
  return { status: degraded ? "degraded" : "healthy", checks };
}

/**
 * The shared account's probe: its webhook subscriptions, one small read that needs a valid token with access to
 * the account (Meta: https://developers.facebook.com/docs/graph-api/reference/whatsapp-business-account/subscribed_apps).
 * One attempt, 3 s at most: a health check reports a slow Meta instead of waiting on it.
 */
export function sharedAccountProbe(
  env: Pick<Env, "META_GRAPH_BASE_URL" | "META_GRAPH_API_VERSION" | "META_ACCESS_TOKEN" | "META_MASTER_WABA_ID">,
): GraphConnectionProbe {
  const client = createGraphClient({
    baseUrl: env.META_GRAPH_BASE_URL,
    apiVersion: env.META_GRAPH_API_VERSION,
    accessToken: env.META_ACCESS_TOKEN,
    timeoutMs: 3_000,
    retry: { maxAttempts: 1 },
  });
  return async () => {
    await client.listSubscribedApps(env.META_MASTER_WABA_ID);
  };
}
