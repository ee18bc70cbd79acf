/**
 * Bookkeeping of refused webhook calls, bounded whatever the attacker does: repeats from one source within one
 * minute bump the counter of one row (unique `bucket`), and once `securityEventLimits.sourcesPerMinute` sources
 * have a row in a minute, further sources share one overflow row. The admin alert's text is fixed; the source
 * is kept as data (a validated IP or "invalid", see request-source.ts).
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { raiseAlert } from "@/server/alerts/alerts";
import type { Db } from "@/server/db";
import { canonicalAddress } from "@/server/client-address";
import type { WebhookSource } from "@/server/webhooks/request-source";

export const securityEventLimits = { sourcesPerMinute: 100 };

export async function recordRefusedWebhook({
  db,
  reason,
  source,
  bodyBytes,
  detail,
  now = new Date(),
}: {
  db: Db;
  reason: string;
  source: WebhookSource;
  bodyBytes: number;
  detail?: string;
  now?: Date;
}) {
  const kind = "webhook_rejected" as const;
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  let sourceIp = source.ip === null ? null : canonicalAddress(source.ip);
  let bucket = `${kind}|${sourceIp ?? "unknown"}|${minute.toISOString()}`;
  const [counted] = await db.$queryRaw<{ sources: bigint; mine: bigint }[]>`
    SELECT count(*) AS sources, count(*) FILTER (WHERE "bucket" = ${bucket}) AS mine
    FROM "security_events" WHERE "kind" = ${kind} AND "createdAt" >= ${minute}`;
  if (counted && counted.mine === 0n && counted.sources >= BigInt(securityEventLimits.sourcesPerMinute)) {
    sourceIp = null;
    bucket = `${kind}|overflow|${minute.toISOString()}`;
  }
  const details = JSON.stringify({ bodyBytes, ...(detail ? { detail } : {}) });
  await db.$executeRaw`
    INSERT INTO "security_events"
      ("id", "createdAt", "lastSeenAt", "kind", "reason", "sourceIp", "userAgent", "details", "bucket", "occurrences")
    VALUES (${randomUUID()}, ${now}, ${now}, ${kind}, ${reason}, ${sourceIp}, ${source.userAgent?.slice(0, 200) ?? null},
      ${details}::jsonb, ${bucket}, 1)
    ON CONFLICT ("bucket") DO UPDATE SET "occurrences" = "security_events"."occurrences" + 1, "lastSeenAt" = EXCLUDED."lastSeenAt",
      "reason" = EXCLUDED."reason", "details" = EXCLUDED."details"`;
  await raiseAlert({
    db,
    kind,
    severity: "CRITICAL",
    title: "A webhook call was rejected",
    message:
      "A POST to the WhatsApp webhook was refused (bad or missing signature, or a body that is not a webhook). " +
      "If this keeps happening, check that META_APP_SECRET matches the app secret in Meta's App Dashboard; " +
      "otherwise someone is sending forged events and nothing from them was processed.",
    details: { last_reason: reason, last_source_ip: sourceIp } as Prisma.InputJsonValue,
    params: {},
  });
}
