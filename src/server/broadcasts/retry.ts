/**
 * "Retry failed recipients": a finished broadcast's failures sent again as a new broadcast (same template,
 * language and blanks) to the people who failed for a reason worth retrying, and to nobody else.
 *
 * Retried: Meta's temporary failures and limits (its error codes that classify as retryable or throttled in
 * src/server/whatsapp/errors.ts: 131000, 131016, 131057, 130429, 131056, 131048, 4, 80007, ...; Meta:
 * support/error-codes), and 131049 (not delivered "to maintain healthy ecosystem engagement") once 24 hours have
 * passed since it failed — Meta advises against retrying it at once.
 * Never retried: anyone who has opted out since (or never opted in), is flagged not on WhatsApp or failed with
 * 131026, stopped marketing messages (131050), was refused by Recado's own checks before Meta (consent, window,
 * template, policy: any Recado code that is not a temporary Meta failure), was interrupted mid-send (it may have
 * arrived: sending again could send it twice), or is already in an earlier retry of the same broadcast.
 */
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { writeAudit, type Actor } from "@/server/audit/audit";
import { classifyGraphError } from "@/server/whatsapp";
import { startBroadcast } from "@/server/broadcasts/lifecycle";

/** Meta's 131049: retry only after this long (Meta: support/error-codes). */
export const engagementErrorCode = 131049;
export const engagementRetryAfterMs = 24 * 60 * 60 * 1000;

export type NeverReason =
  | "opted_out"
  | "not_on_whatsapp"
  | "marketing_stopped"
  | "refused_by_policy"
  | "permanent_error"
  | "interrupted"
  | "already_retried"
  | "contact_gone";

export type RetryVerdict = { verdict: "retry" } | { verdict: "later"; from: Date } | { verdict: "never"; reason: NeverReason };

export type FailedRecipient = {
  recipientStatus: string;
  metaCode: number | null;
  appErrorCode: string | null;
  failedAt: Date | null;
  contact: { optedIn: boolean; notOnWhatsApp: boolean; erased: boolean } | null;
  alreadyRetried: boolean;
};

/** Recado's own codes for Meta's temporary answers when Meta's code was not kept. */
const temporaryAppCodes = new Set(["META_UNAVAILABLE", "RATE_LIMIT_EXCEEDED"]);
/** 133016 is the register/deregister budget: throttled, but no message failure it could explain. */
const notMessageLimits = new Set([133016]);

/** Pure: whether one failed recipient is retried now, later (131049 within 24 h), or never, and why. */
export function retryVerdict(failed: FailedRecipient, now: Date): RetryVerdict {
  const never = (reason: NeverReason): RetryVerdict => ({ verdict: "never", reason });
  if (!failed.contact || failed.contact.erased) return never("contact_gone");
  if (!failed.contact.optedIn || failed.appErrorCode === "CONTACT_NOT_OPTED_IN") return never("opted_out");
  if (failed.contact.notOnWhatsApp || failed.metaCode === 131026 || failed.appErrorCode === "RECIPIENT_NOT_ON_WHATSAPP")
    return never("not_on_whatsapp");
  if (failed.recipientStatus === "UNKNOWN") return never("interrupted");
  if (failed.alreadyRetried) return never("already_retried");
  if (failed.metaCode === 131050) return never("marketing_stopped");
  if (failed.metaCode === engagementErrorCode) {
    const from = new Date((failed.failedAt ?? now).getTime() + engagementRetryAfterMs);
    return from <= now ? { verdict: "retry" } : { verdict: "later", from };
  }
  if (failed.metaCode !== null) {
    const { kind } = classifyGraphError({ code: failed.metaCode });
    return (kind === "retryable" || kind === "throttled") && !notMessageLimits.has(failed.metaCode)
      ? { verdict: "retry" }
      : never("permanent_error");
  }
  if (failed.appErrorCode && temporaryAppCodes.has(failed.appErrorCode)) return { verdict: "retry" };
  return never("refused_by_policy");
}

type FailureRow = {
  contact_id: string | null;
  recipient_status: string;
  meta_code: number | null;
  app_error_code: string | null;
  failed_at: Date | null;
  opted_in: boolean | null;
  not_on_whatsapp: boolean | null;
  erased: boolean | null;
  already_retried: boolean;
};

async function ownFinishedBroadcast(db: Db, tenantId: string, broadcastId: string) {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  return broadcast;
}

/** Every failed recipient of a broadcast with its verdict. */
async function failuresOf(db: Db, broadcastId: string, now: Date) {
  const rows = await db.$queryRaw<FailureRow[]>`
    SELECT r."contactId" AS contact_id, r."status"::text AS recipient_status,
           COALESCE(r."errorCode", m."errorCode") AS meta_code, COALESCE(r."appErrorCode", m."appErrorCode") AS app_error_code,
           CASE WHEN m."status" = 'FAILED' THEN m."statusAt" ELSE COALESCE(r."attemptedAt", m."statusAt") END AS failed_at,
           c."optedIn" AS opted_in, c."notOnWhatsAppAt" IS NOT NULL AS not_on_whatsapp, c."erasedAt" IS NOT NULL AS erased,
           EXISTS (SELECT 1 FROM "broadcast_recipients" r2 JOIN "broadcasts" b2 ON b2."id" = r2."broadcastId"
                    WHERE b2."retryOfId" = ${broadcastId} AND r2."contactId" = r."contactId") AS already_retried
    FROM "broadcast_recipients" r
    LEFT JOIN "messages" m ON m."id" = r."messageId"
    LEFT JOIN "contacts" c ON c."id" = r."contactId"
    WHERE r."broadcastId" = ${broadcastId}
      AND (r."status" IN ('FAILED', 'UNKNOWN') OR (r."status" = 'SENT' AND m."status" = 'FAILED'))`;
  return rows.map((row) => ({
    contactId: row.contact_id,
    verdict: retryVerdict(
      {
        recipientStatus: row.recipient_status,
        metaCode: row.meta_code,
        appErrorCode: row.app_error_code,
        failedAt: row.failed_at,
        contact: row.opted_in === null ? null : { optedIn: row.opted_in, notOnWhatsApp: !!row.not_on_whatsapp, erased: !!row.erased },
        alreadyRetried: row.already_retried,
      },
      now,
    ),
  }));
}

export type RetryPlan = {
  broadcastId: string;
  /** the broadcast can be retried only once it no longer sends */
  finished: boolean;
  failed: number;
  retryNow: number;
  /** 131049 failures that become retryable at `laterFrom` */
  retryLater: number;
  laterFrom: Date | null;
  notRetried: Partial<Record<NeverReason, number>>;
  /** a retry of this broadcast that is still under way */
  activeRetryId: string | null;
};

const finishedStatuses = ["COMPLETED", "CANCELLED", "STOPPED"];

/** Who a retry would send to, and who not and why, without changing anything. */
export async function planRetry({
  db,
  tenantId,
  broadcastId,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  broadcastId: string;
  now?: Date;
}): Promise<RetryPlan> {
  const broadcast = await ownFinishedBroadcast(db, tenantId, broadcastId);
  const failures = await failuresOf(db, broadcastId, now);
  const active = await db.broadcast.findFirst({
    where: { retryOfId: broadcastId, tenantId, status: { in: ["DRAFT", "SENDING", "PAUSED"] } },
    select: { id: true },
  });
  const plan: RetryPlan = {
    broadcastId,
    finished: finishedStatuses.includes(broadcast.status),
    failed: failures.length,
    retryNow: 0,
    retryLater: 0,
    laterFrom: null,
    notRetried: {},
    activeRetryId: active?.id ?? null,
  };
  for (const { verdict } of failures) {
    if (verdict.verdict === "retry") plan.retryNow += 1;
    else if (verdict.verdict === "later") {
      plan.retryLater += 1;
      if (!plan.laterFrom || verdict.from < plan.laterFrom) plan.laterFrom = verdict.from;
    } else plan.notRetried[verdict.reason] = (plan.notRetried[verdict.reason] ?? 0) + 1;
  }
  return plan;
}

/**
 * Starts a new broadcast to the recipients worth retrying. One retry of a broadcast runs at a time (the original's
 * row is locked while the retry's draft is recorded), and a person already in an earlier retry is not sent again.
 */
export async function retryFailedRecipients({
  db,
  tenantId,
  broadcastId,
  name,
  actor,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  broadcastId: string;
  /** the new broadcast's name, in the owner's language */
  name: string;
  actor: Actor;
  now?: Date;
}) {
  const original = await ownFinishedBroadcast(db, tenantId, broadcastId);
  if (!finishedStatuses.includes(original.status)) {
    throw new AppError("CONFLICT", "This broadcast is still sending: retry its failed recipients once it has finished.", {
      broadcast_id: broadcastId,
      status: original.status.toLowerCase(),
    });
  }
  const draftId = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "broadcasts" WHERE "id" = ${broadcastId} FOR UPDATE`;
    const active = await tx.broadcast.findFirst({
      where: { retryOfId: broadcastId, status: { in: ["DRAFT", "SENDING", "PAUSED"] } },
      select: { id: true },
    });
    if (active)
      throw new AppError("CONFLICT", "A retry of this broadcast is already under way.", { broadcast_id: broadcastId, retry_id: active.id });
    const contactIds = (await failuresOf(tx as unknown as Db, broadcastId, now))
      .filter((f) => f.verdict.verdict === "retry" && f.contactId !== null)
      .map((f) => f.contactId as string);
    if (contactIds.length === 0) {
      throw new AppError("VALIDATION_FAILED", "No failed recipient of this broadcast can be retried now.", {
        broadcast_id: broadcastId,
        field: "broadcastId",
      });
    }
    const draft = await tx.broadcast.create({
      data: {
        tenantId,
        name,
        templateName: original.templateName,
        templateLanguage: original.templateLanguage,
        parameterSources: original.parameterSources as Prisma.InputJsonValue,
        audience: { kind: "contacts", contactIds, retryOf: broadcastId } as Prisma.InputJsonValue,
        phoneNumberId: original.phoneNumberId,
        createdById: actor.userId,
        retryOfId: broadcastId,
      },
      select: { id: true },
    });
    await writeAudit(tx, {
      actor,
      action: "broadcast.retry_failed",
      tenantId,
      targetType: "broadcast",
      targetId: broadcastId,
      before: { status: original.status },
      after: { retryBroadcastId: draft.id, recipients: contactIds.length },
    });
    return draft.id;
  });
  // started like any draft: the template and each contact's consent are checked again
  try {
    return await startBroadcast({ db, tenantId, broadcastId: draftId, actor });
  } catch (error) {
    // a retry that could not start is not left behind as a draft blocking the next one
    await db.broadcast.updateMany({ where: { id: draftId, status: "DRAFT" }, data: { status: "CANCELLED", finishedAt: new Date() } });
    throw error;
  }
}
