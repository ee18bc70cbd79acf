/**
 * A fair share of the shared account's messaging limit. Since 2025-10-07 the limit of business-initiated
 * conversations per rolling 24 h belongs to the business portfolio and every number of it draws on one quota (Meta:
 * messaging-limits): on the shared account one bakery's big broadcast could use up every other bakery's day.
 *
 * Recado counts the portfolio's business-initiated conversations (a template sent outside the contact's 24-hour
 * window, `messages.businessInitiated`: each contact once per 24 h) and splits the limit between the bakeries with a
 * number on the shared account: a bakery with a share set by the admin has that many; the rest of the limit is split
 * equally among the others. The limit is the highest messaging tier among the account's numbers (Meta: the
 * portfolio's limit); while no number reports a tier, only shares set by the admin are enforced.
 */
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

const tierLimits: Record<string, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
};
const day = 24 * 60 * 60 * 1000;

/** The portfolio's limit from its numbers' tiers: the highest; null = unlimited or not known. */
export function portfolioLimitOf(tiers: (string | null)[]): number | null {
  const known = tiers.filter((t): t is string => t !== null && t in tierLimits);
  if (known.length === 0 || known.some((t) => tierLimits[t] === null)) return null;
  return Math.max(...known.map((t) => tierLimits[t]!));
}

/** Explicit shares as set; the rest of the limit split equally (rounded down) among the bakeries without one. */
export function splitShares(limit: number | null, bakeries: { tenantId: string; explicit: number | null }[]): Map<string, number | null> {
  const explicitTotal = bakeries.reduce((n, b) => n + (b.explicit ?? 0), 0);
  const equal = bakeries.filter((b) => b.explicit === null);
  const each = limit === null ? null : equal.length ? Math.max(0, Math.floor((limit - explicitTotal) / equal.length)) : 0;
  return new Map(bakeries.map((b) => [b.tenantId, b.explicit ?? each]));
}

export type ShareToday = {
  /** the shared account's limit per 24 h (null: unlimited or not known yet) */
  portfolioLimit: number | null;
  portfolioUsed: number;
  /** this bakery's share (null: no limit applies) */
  share: number | null;
  shareSetByAdmin: boolean;
  used: number;
  left: number | null;
  /** when the oldest conversation counted leaves the 24 h window (a slot comes free) */
  nextSlotFreeAt: Date | null;
  onSharedAccount: boolean;
  /** false while the bakery has no number assigned */
  hasNumber: boolean;
};

export async function shareLeftToday({ db, tenantId, now = new Date() }: { db: Db; tenantId: string; now?: Date }): Promise<ShareToday> {
  const settings = await db.whatsAppSettings.findUnique({
    where: { tenantId },
    select: { phoneNumber: { select: { businessAccountId: true, businessAccount: { select: { kind: true } } } } },
  });
  const accountId = settings?.phoneNumber?.businessAccountId;
  const since = new Date(now.getTime() - day);
  if (!accountId || settings?.phoneNumber?.businessAccount.kind !== "MASTER") {
    return {
      portfolioLimit: null,
      portfolioUsed: 0,
      share: null,
      shareSetByAdmin: false,
      used: 0,
      left: null,
      nextSlotFreeAt: null,
      onSharedAccount: false,
      hasNumber: Boolean(accountId),
    };
  }
  const numbers = await db.phoneNumber.findMany({
    where: { businessAccountId: accountId },
    select: {
      messagingLimit: true,
      assignment: { select: { tenantId: true, tenant: { select: { costSettings: { select: { dailyConversationShare: true } } } } } },
    },
  });
  const limit = portfolioLimitOf(numbers.map((n) => n.messagingLimit));
  const bakeries = numbers.flatMap((n) =>
    n.assignment ? [{ tenantId: n.assignment.tenantId, explicit: n.assignment.tenant.costSettings?.dailyConversationShare ?? null }] : [],
  );
  const shares = splitShares(limit, bakeries);
  const [counts] = await db.$queryRaw<{ used: number; portfolio_used: number; oldest: Date | null }[]>`
    SELECT count(DISTINCT m."contactId") FILTER (WHERE m."tenantId" = ${tenantId})::int AS used,
           count(DISTINCT m."contactId")::int AS portfolio_used,
           min(m."createdAt") FILTER (WHERE m."tenantId" = ${tenantId}) AS oldest
      FROM "messages" m JOIN "phone_numbers" p ON p."id" = m."phoneNumberId"
     WHERE p."businessAccountId" = ${accountId} AND m."businessInitiated" AND m."createdAt" > ${since} AND m."wamid" IS NOT NULL`;
  const share = shares.get(tenantId) ?? null;
  const used = counts?.used ?? 0;
  return {
    portfolioLimit: limit,
    portfolioUsed: counts?.portfolio_used ?? 0,
    share,
    shareSetByAdmin: bakeries.find((b) => b.tenantId === tenantId)?.explicit != null,
    used,
    left: share === null ? null : Math.max(0, share - used),
    nextSlotFreeAt: counts?.oldest ? new Date(counts.oldest.getTime() + day) : null,
    onSharedAccount: true,
    hasNumber: true,
  };
}

/** Refuses a broadcast that would open more business-initiated conversations today than the bakery's share has left. */
export async function checkShareFor({ db, tenantId, needed, now }: { db: Db; tenantId: string; needed: number; now?: Date }) {
  const today = await shareLeftToday({ db, tenantId, now });
  if (today.left === null || needed <= today.left) return today;
  throw new AppError(
    "PORTFOLIO_SHARE_EXCEEDED",
    `Your bakery can start ${today.left} more WhatsApp conversations today on the shared account, and this broadcast needs ${needed}. Send it to fewer people, or wait: slots come free 24 hours after each conversation started.`,
    {
      share: today.share,
      used_today: today.used,
      left_today: today.left,
      needed,
      next_slot_free_at: today.nextSlotFreeAt?.toISOString() ?? null,
      solution: "Wait until tomorrow, narrow the audience, or ask the platform admin for a bigger share",
    },
  );
}
