/**
 * The one retry of a message Meta refused with 131049 (Meta: support/error-codes: marketing messages to this user are
 * limited today; do not resend within 24 h). messaging/status-effects.ts records the retry no sooner than 24 h after
 * the refusal; `runMarketingRetries` (job marketing-limit-retry, every 15 minutes) sends each due one once, through
 * the ordinary send path (every check again: consent, MARKETING_OPTED_OUT, the spend cap), with an idempotency key of
 * its own, so a retried run never sends twice. A retry that Meta limits again is not retried again.
 */
import type { Db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { sendMessage } from "@/server/messaging/send";

export async function runMarketingRetries({ db, now = new Date(), limit = 200 }: { db: Db; now?: Date; limit?: number }) {
  // claimed (retriedAt set) before sending: a concurrent run skips them, a crash leaves them claimed, never sent twice
  const due = await db.$queryRaw<
    {
      id: string;
      tenantId: string;
      contactId: string;
      originalMessageId: string;
      templateName: string;
      templateLanguage: string | null;
      parameters: string[];
    }[]
  >`
    UPDATE "marketing_retries" SET "retriedAt" = ${now}
     WHERE "id" IN (SELECT "id" FROM "marketing_retries" WHERE "retriedAt" IS NULL AND "notBefore" <= ${now}
                     ORDER BY "notBefore" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "tenantId", "contactId", "originalMessageId", "templateName", "templateLanguage", "parameters"`;
  let sent = 0;
  for (const retry of due) {
    let outcome = "sent";
    let retryMessageId: string | null = null;
    try {
      const result = await sendMessage({
        db,
        tenantId: retry.tenantId,
        contactId: retry.contactId,
        content: {
          kind: "template",
          templateName: retry.templateName,
          ...(retry.templateLanguage ? { language: retry.templateLanguage } : {}),
          parameters: retry.parameters,
        },
        source: "retry",
        idempotencyKey: `marketing-retry:${retry.originalMessageId}`,
        now,
      });
      retryMessageId = result.messageId;
      sent += 1;
    } catch (error) {
      outcome = isAppError(error) ? error.code : "INTERNAL_ERROR";
      const messageId = isAppError(error) ? (error.details.message_id as string | undefined) : undefined;
      retryMessageId = messageId ?? null;
    }
    await db.marketingRetry.update({ where: { id: retry.id }, data: { outcome, retryMessageId } });
  }
  return { due: due.length, sent };
}
