/**
 * What a status webhook tells Recado beyond the message's status (applied right after the statuses of a batch,
 * each in one statement):
 *   - `pricing` (Meta: pricing): the message's category, type and billability, and its cost by the rate card in force
 *     when it was sent (rate_cards: the recipient's country, else "*"); free types cost 0. Priced once.
 *   - `recipient_user_id` (Meta: business-scoped-user-ids): the contact learns its BSUID, so later inbound messages
 *     from a username without the phone number still find it.
 *   - a failed marketing template with 131049 (Meta: support/error-codes: limited for this user today, do not resend
 *     within 24 h): one retry is scheduled no sooner than 24 h later (job marketing-limit-retry), unless the message
 *     already was that retry.
 *   - 131050 (the user stopped marketing messages): the contact refuses MARKETING templates (MARKETING_OPTED_OUT).
 */
import type { Db } from "@/server/db";
import type { MessageStatusUpdate } from "@/server/whatsapp/webhook-payload";

export const marketingRetryDelayMs = 24 * 60 * 60 * 1000;

export async function applyStatusEffects({ db, updates }: { db: Db; updates: MessageStatusUpdate[] }): Promise<void> {
  const priced = updates.filter((u) => u.pricing?.category);
  if (priced.length) {
    const col = <T>(f: (u: MessageStatusUpdate) => T) => priced.map(f);
    await db.$executeRaw`
      WITH u AS (
        SELECT * FROM unnest(${col((u) => u.messageId)}::text[], ${col((u) => u.pricing!.category!.toUpperCase())}::text[],
                             ${col((u) => u.pricing!.type ?? null)}::text[], ${col((u) => u.pricing!.pricingModel ?? null)}::text[],
                             ${col((u) => u.pricing!.billable ?? null)}::boolean[])
          AS u("wamid", "category", "type", "model", "billable")
      ), one AS (SELECT DISTINCT ON ("wamid") * FROM u)
      UPDATE "messages" m SET
             "pricingCategory" = u."category", "pricingType" = u."type", "pricingModel" = u."model", "billable" = u."billable",
             "costMicros" = CASE WHEN COALESCE(u."billable", true) AND COALESCE(u."type", 'regular') NOT LIKE 'free%'
                                 THEN COALESCE((SELECT r."rateMicros" FROM "rate_cards" r
                                                 WHERE r."category" = u."category" AND r."country" IN (COALESCE(m."recipientCountry", '*'), '*')
                                                   AND r."validFrom" <= m."createdAt"
                                                 ORDER BY (r."country" = '*'), r."validFrom" DESC LIMIT 1), 0)
                                 ELSE 0 END,
             "costCurrency" = (SELECT r."currency" FROM "rate_cards" r
                                WHERE r."category" = u."category" AND r."country" IN (COALESCE(m."recipientCountry", '*'), '*')
                                  AND r."validFrom" <= m."createdAt"
                                ORDER BY (r."country" = '*'), r."validFrom" DESC LIMIT 1),
             "pricedAt" = now()
        FROM one u
       WHERE m."wamid" = u."wamid" AND m."pricedAt" IS NULL`;
  }

  const withUserId = updates.filter((u) => u.recipientUserId);
  if (withUserId.length) {
    await db.$executeRaw`
      WITH u AS (SELECT DISTINCT * FROM unnest(${withUserId.map((u) => u.messageId)}::text[], ${withUserId.map((u) => u.recipientUserId!)}::text[]) AS u("wamid", "userId"))
      UPDATE "contacts" c SET "userId" = u."userId", "updatedAt" = now()
        FROM u JOIN "messages" m ON m."wamid" = u."wamid"
       WHERE c."id" = m."contactId" AND c."userId" IS NULL
         AND NOT EXISTS (SELECT 1 FROM "contacts" o WHERE o."tenantId" = c."tenantId" AND o."userId" = u."userId")`;
  }

  const failedWith = (code: number) => updates.filter((u) => u.status === "failed" && u.errors.some((e) => e.code === code));
  const limited = failedWith(131049);
  if (limited.length) {
    await db.$executeRaw`
      WITH u AS (SELECT * FROM unnest(${limited.map((u) => u.messageId)}::text[], ${limited.map((u) => new Date(u.timestamp * 1000 + marketingRetryDelayMs).toISOString())}::timestamptz[]) AS u("wamid", "notBefore"))
      INSERT INTO "marketing_retries" ("id", "tenantId", "contactId", "originalMessageId", "broadcastId", "templateName", "templateLanguage", "parameters", "notBefore")
      SELECT gen_random_uuid()::text, m."tenantId", m."contactId", m."id", br."broadcastId", m."templateName", m."templateLanguage", m."parameters",
             u."notBefore" AT TIME ZONE 'UTC'
        FROM u JOIN "messages" m ON m."wamid" = u."wamid"
        LEFT JOIN "broadcast_recipients" br ON br."messageId" = m."id"
       WHERE m."type" = 'template' AND m."templateName" IS NOT NULL
         -- once: the retry of a limited message is not retried again
         AND NOT EXISTS (SELECT 1 FROM "marketing_retries" r WHERE r."retryMessageId" = m."id")
      ON CONFLICT ("originalMessageId") DO NOTHING`;
  }

  const stopped = failedWith(131050);
  if (stopped.length) {
    await db.$executeRaw`
      UPDATE "contacts" c SET "marketingOptedOutAt" = now(), "marketingPreferenceSource" = 'webhook_131050', "updatedAt" = now()
        FROM "messages" m
       WHERE m."wamid" = ANY(${stopped.map((u) => u.messageId)}::text[]) AND c."id" = m."contactId" AND c."marketingOptedOutAt" IS NULL`;
  }
}
