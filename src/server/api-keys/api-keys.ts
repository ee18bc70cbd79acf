/**
 * Tenant API keys for the REST API (the bakery's other systems). A key is shown once at creation; only its
 * SHA-256 is stored (a key is 32 random bytes, so a fast hash is enough: there is nothing to brute-force).
 * The key carries its tenant: a caller can never choose which bakery it acts for.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { writeAudit, type Actor } from "@/server/audit/audit";

const keyPattern = /^rk_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export async function createApiKey({ db, tenantId, name, actor }: { db: Db; tenantId: string; name: string; actor: Actor }) {
  const prefix = randomBytes(6)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")
    .slice(0, 8);
  const key = `rk_${prefix}_${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({ data: { tenantId, name, prefix, keyHash: hashApiKey(key), createdById: actor.userId } });
  await writeAudit(db, { actor, action: "api_key.create", tenantId, targetType: "api_key", targetId: row.id, after: { name, prefix } });
  return { id: row.id, name, prefix, createdAt: row.createdAt, /** shown once, never stored */ key };
}

export async function listApiKeys({ db, tenantId }: { db: Db; tenantId: string }) {
  return db.apiKey.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiKey({ db, tenantId, apiKeyId, actor }: { db: Db; tenantId: string; apiKeyId: string; actor: Actor }) {
  const revokedAt = new Date();
  const { count } = await db.apiKey.updateMany({ where: { id: apiKeyId, tenantId, revokedAt: null }, data: { revokedAt } });
  if (!count) {
    const exists = await db.apiKey.count({ where: { id: apiKeyId, tenantId } });
    if (!exists) throw new AppError("NOT_FOUND", "API key not found.", { api_key_id: apiKeyId });
    return { revoked: false };
  }
  await writeAudit(db, {
    actor,
    action: "api_key.revoke",
    tenantId,
    targetType: "api_key",
    targetId: apiKeyId,
    before: { revokedAt: null },
    after: { revokedAt: revokedAt.toISOString() },
  });
  return { revoked: true };
}

/** `Authorization: Bearer rk_...` → the key's tenant. Revoked, unknown and malformed keys are all 401. */
export async function authenticateApiKey({ db, authorization }: { db: Db; authorization: string | null }) {
  const key = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  const unauthorized = new AppError(
    "UNAUTHORIZED",
    "Send a valid API key: `Authorization: Bearer rk_...` (create one in Settings → API keys).",
  );
  if (!key || !keyPattern.test(key)) throw unauthorized;
  const row = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, tenantId: true, prefix: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) throw unauthorized;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { tenantId: row.tenantId, apiKeyId: row.id, actor: { userId: null, label: `api-key:${row.prefix}` } satisfies Actor };
}
