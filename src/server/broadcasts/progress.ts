/**
 * A broadcast's progress and its final summary (total, sent, failed and a failure breakdown).
 * Delivered / read come from the messages' own status, which status webhooks keep current, so the counts move
 * while the broadcast runs and after it finished. A message Meta accepted but later reported failed (e.g.
 * 131026 in a status webhook) counts as failed with its reason.
 */
import { writeCsv } from "@/lib/csv-export";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/** The breakdown keys, from Recado's error codes. */
export function failureReasonOf(appErrorCode: string | null, recipientStatus: string): string {
  if (recipientStatus === "UNKNOWN") return "interrupted";
  switch (appErrorCode) {
    case "RECIPIENT_NOT_ON_WHATSAPP":
      return "not_on_whatsapp";
    case "INVALID_PHONE_FORMAT":
      return "invalid_number";
    case "RATE_LIMIT_EXCEEDED":
      return "rate_limited";
    case "CONTACT_NOT_OPTED_IN":
      return "opted_out";
    case "TOKEN_EXPIRED":
    case "PERMISSION_DENIED":
      return "token_expired";
    case "TEMPLATE_NOT_APPROVED":
    case "TEMPLATE_NOT_FOUND":
    case "TEMPLATE_PARAMS_MISMATCH":
      return "template_problem";
    default:
      return "other";
  }
}

export type BroadcastProgress = {
  id: string;
  name: string;
  status: string;
  stoppedReason: string | null;
  templateName: string;
  templateLanguage: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  cancelled: number;
  excluded: { optedOut: number; notOnWhatsApp: number; invalid: number };
  failureBreakdown: Record<string, number>;
  /**
   * Its own line: recipients Meta refused with 131049 (marketing limited for this person today; not counted in
   * `failed`), how many of them were retried once 24 h later and how many of those retries Meta accepted.
   */
  metaLimitedMarketing: { label: string; count: number; retried: number; retrySent: number; nextRetryAt: Date | null };
};

export const metaLimitedMarketingLabel = "Meta limited marketing to this person today";

type Row = { recipient_status: string; message_status: string | null; app_error_code: string | null; n: number };

export async function broadcastProgress({
  db,
  tenantId,
  broadcastId,
}: {
  db: Db;
  tenantId: string;
  broadcastId: string;
}): Promise<BroadcastProgress> {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  const rows = await db.$queryRaw<Row[]>`
    SELECT r."status"::text AS recipient_status, m."status"::text AS message_status,
           COALESCE(r."appErrorCode", m."appErrorCode") AS app_error_code, count(*)::int AS n
    FROM "broadcast_recipients" r LEFT JOIN "messages" m ON m."id" = r."messageId"
    WHERE r."broadcastId" = ${broadcastId}
    GROUP BY 1, 2, 3`;
  const progress = { pending: 0, sent: 0, delivered: 0, read: 0, failed: 0, cancelled: 0 };
  const failureBreakdown: Record<string, number> = {};
  for (const row of rows) {
    const failedLater = row.recipient_status === "SENT" && row.message_status === "FAILED";
    if (failedLater && row.app_error_code === "MARKETING_LIMITED") continue; // its own line, below
    if (row.recipient_status === "FAILED" || row.recipient_status === "UNKNOWN" || failedLater) {
      progress.failed += row.n;
      const reason = failureReasonOf(row.app_error_code, row.recipient_status);
      failureBreakdown[reason] = (failureBreakdown[reason] ?? 0) + row.n;
    } else if (row.recipient_status === "SENT") {
      progress.sent += row.n;
      if (row.message_status === "DELIVERED" || row.message_status === "READ") progress.delivered += row.n;
      if (row.message_status === "READ") progress.read += row.n;
    } else if (row.recipient_status === "CANCELLED") progress.cancelled += row.n;
    else progress.pending += row.n;
  }
  const [limited] = await db.$queryRaw<{ count: number; retried: number; retry_sent: number; next_retry_at: Date | null }[]>`
    SELECT count(*)::int AS count, count(*) FILTER (WHERE "retriedAt" IS NOT NULL)::int AS retried,
           count(*) FILTER (WHERE "outcome" = 'sent')::int AS retry_sent,
           min("notBefore") FILTER (WHERE "retriedAt" IS NULL) AS next_retry_at
      FROM "marketing_retries" WHERE "broadcastId" = ${broadcastId}`;
  return {
    id: broadcast.id,
    name: broadcast.name,
    status: broadcast.status,
    stoppedReason: broadcast.stoppedReason,
    templateName: broadcast.templateName,
    templateLanguage: broadcast.templateLanguage,
    createdAt: broadcast.createdAt,
    startedAt: broadcast.startedAt,
    finishedAt: broadcast.finishedAt,
    total: broadcast.total,
    ...progress,
    excluded: { optedOut: broadcast.excludedOptedOut, notOnWhatsApp: broadcast.excludedNotOnWhatsApp, invalid: broadcast.excludedInvalid },
    failureBreakdown,
    metaLimitedMarketing: {
      label: metaLimitedMarketingLabel,
      count: limited?.count ?? 0,
      retried: limited?.retried ?? 0,
      retrySent: limited?.retry_sent ?? 0,
      nextRetryAt: limited?.next_retry_at ?? null,
    },
  };
}

/** The summary's shape. */
export function summaryOf(progress: BroadcastProgress) {
  return {
    broadcast_id: progress.id,
    status: progress.status.toLowerCase(),
    results: {
      total: progress.total,
      sent: progress.sent,
      failed: progress.failed,
      failure_breakdown: progress.failureBreakdown,
      meta_limited_marketing: {
        label: progress.metaLimitedMarketing.label,
        count: progress.metaLimitedMarketing.count,
        retried: progress.metaLimitedMarketing.retried,
        retry_sent: progress.metaLimitedMarketing.retrySent,
      },
    },
  };
}

export async function listBroadcasts({ db, tenantId }: { db: Db; tenantId: string }) {
  return db.broadcast.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, name: true, status: true, total: true, templateName: true, createdAt: true, startedAt: true, finishedAt: true },
  });
}

/** One line per recipient, for the CSV download. */
export async function recipientReportRows({ db, tenantId, broadcastId }: { db: Db; tenantId: string; broadcastId: string }) {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId }, select: { id: true } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  return db.$queryRaw<
    {
      seq: number;
      phone: string;
      name: string | null;
      status: string;
      message_status: string | null;
      wamid: string | null;
      error_code: number | null;
      app_error_code: string | null;
      error_title: string | null;
    }[]
  >`
    SELECT r."seq", r."phoneE164" AS phone, r."name", r."status"::text AS status, m."status"::text AS message_status, r."wamid",
           COALESCE(r."errorCode", m."errorCode") AS error_code, COALESCE(r."appErrorCode", m."appErrorCode") AS app_error_code,
           COALESCE(r."errorTitle", m."errorTitle") AS error_title
    FROM "broadcast_recipients" r LEFT JOIN "messages" m ON m."id" = r."messageId"
    WHERE r."broadcastId" = ${broadcastId} ORDER BY r."seq"`;
}

/** The per-recipient report as CSV (quoted where needed, e.g. names with commas; formula-leading cells neutralised). */
export async function recipientReportCsv({
  db,
  tenantId,
  broadcastId,
}: {
  db: Db;
  tenantId: string;
  broadcastId: string;
}): Promise<string> {
  const rows = await recipientReportRows({ db, tenantId, broadcastId });
  return writeCsv({
    fields: ["seq", "phone", "name", "status", "delivery", "wamid", "meta_error_code", "error_code", "reason", "error"],
    data: rows.map((r) => [
      r.seq,
      r.phone,
      r.name ?? "",
      r.status.toLowerCase(),
      r.message_status?.toLowerCase() ?? "",
      r.wamid ?? "",
      r.error_code ?? "",
      r.app_error_code ?? "",
      r.status === "FAILED" || r.status === "UNKNOWN" || r.message_status === "FAILED" ? failureReasonOf(r.app_error_code, r.status) : "",
      r.error_title ?? "",
    ]),
  });
}
