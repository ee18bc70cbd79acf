/**
 * What a broadcast must pass before it starts or resumes, beyond the send policy: the bakery's share of the shared
 * account's messaging limit (costs/share.ts) and, for a marketing template, the quality guard (costs/quality-guard.ts).
 * Also the cost estimate of a draft (what the preview shows before starting).
 */
import type { Db } from "@/server/db";
import { audienceCondition, eligibleContact, normalizeCsvPhones, type Audience } from "@/server/broadcasts/audience";
import { recipientCountryOf } from "@/server/contacts/bsuid";
import { bakeryMonthCost, rateCardAt, rateFor } from "@/server/costs/ledger";
import { AppError } from "@/server/errors";
import { checkQualityGuard } from "@/server/costs/quality-guard";
import { checkShareFor } from "@/server/costs/share";

const day = 24 * 60 * 60 * 1000;

/** Eligible contacts of the audience a template would reach outside their 24-hour window and not counted yet today. */
async function newConversationsFor(db: Db, tenantId: string, audience: Audience, csv: string[], now: Date): Promise<number> {
  const since = new Date(now.getTime() - day);
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "contacts" c
     WHERE ${audienceCondition(tenantId, audience, csv)} AND ${eligibleContact}
       AND (c."lastInboundAt" IS NULL OR c."lastInboundAt" <= ${since})
       AND NOT EXISTS (SELECT 1 FROM "messages" m WHERE m."contactId" = c."id" AND m."businessInitiated" AND m."wamid" IS NOT NULL AND m."createdAt" > ${since})`;
  return row?.n ?? 0;
}

/** A broadcast is not started once the month's cap is reached (each of its sends would be refused by the send policy). */
async function spendCapOpen(db: Db, tenantId: string, now: Date) {
  const month = await bakeryMonthCost({ db, tenantId, now });
  if (!month.capReached) return;
  throw new AppError(
    "SPEND_CAP_REACHED",
    "This bakery has reached its monthly WhatsApp spending limit, so paid messages are paused until next month.",
    {
      month: month.month,
      spent: (month.total.micros / 1_000_000).toFixed(2),
      cap: month.cap ? (month.cap.micros / 1_000_000).toFixed(2) : null,
      solution: "Ask the platform admin to raise the monthly cap",
    },
  );
}

/** Start: the share (every recipient it would open a conversation with) and, for marketing, the quality guard. */
export async function checkBroadcastStart({
  db,
  tenantId,
  audience,
  region,
  category,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  audience: Audience;
  region: string;
  category: string | null;
  now?: Date;
}) {
  if (category?.toUpperCase() === "MARKETING") await checkQualityGuard({ db, tenantId, now });
  await spendCapOpen(db, tenantId, now);
  const csv = audience.kind === "csv" ? normalizeCsvPhones(audience.phones, region).e164 : [];
  await checkShareFor({ db, tenantId, needed: await newConversationsFor(db, tenantId, audience, csv, now), now });
}

/** Resume: the same for the recipients still to send. */
export async function checkBroadcastResume({
  db,
  tenantId,
  broadcastId,
  category,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  broadcastId: string;
  category: string | null;
  now?: Date;
}) {
  if (category?.toUpperCase() === "MARKETING") await checkQualityGuard({ db, tenantId, now });
  const since = new Date(now.getTime() - day);
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "broadcast_recipients" r JOIN "contacts" c ON c."id" = r."contactId"
     WHERE r."broadcastId" = ${broadcastId} AND r."status" = 'PENDING'
       AND (c."lastInboundAt" IS NULL OR c."lastInboundAt" <= ${since})
       AND NOT EXISTS (SELECT 1 FROM "messages" m WHERE m."contactId" = c."id" AND m."businessInitiated" AND m."wamid" IS NOT NULL AND m."createdAt" > ${since})`;
  await checkShareFor({ db, tenantId, needed: row?.n ?? 0, now });
}

export type CostEstimate = {
  recipients: number;
  billable: number;
  free: number;
  /** contacts who stopped marketing: a marketing template is not sent to them (MARKETING_OPTED_OUT) */
  refusedMarketingOptedOut: number;
  category: string;
  currency: string | null;
  totalMicros: number;
  total: string;
  byCountry: { country: string; recipients: number; rate: string; costMicros: number }[];
  newConversations: number;
  rateCardDate: string | null;
};

/**
 * What a draft would cost by today's rate card (Meta: pricing): each eligible recipient at its country's rate for the
 * template's category; free when it is a utility template inside the recipient's open 24-hour window.
 */
export async function estimateAudienceCost({
  db,
  tenantId,
  audience,
  region,
  category,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  audience: Audience;
  region: string;
  category: string | null;
  now?: Date;
}): Promise<CostEstimate> {
  const csv = audience.kind === "csv" ? normalizeCsvPhones(audience.phones, region).e164 : [];
  const since = new Date(now.getTime() - day);
  const rows = await db.$queryRaw<{ phoneE164: string; userId: string | null; windowOpen: boolean; marketingStopped: boolean }[]>`
    SELECT c."phoneE164", c."userId", (c."lastInboundAt" > ${since}) IS TRUE AS "windowOpen", c."marketingOptedOutAt" IS NOT NULL AS "marketingStopped"
      FROM "contacts" c WHERE ${audienceCondition(tenantId, audience, csv)} AND ${eligibleContact}`;
  const card = await rateCardAt({ db, at: now });
  const cat = (category ?? "MARKETING").toUpperCase();
  const byCountry = new Map<string, { recipients: number; rateMicros: number; costMicros: number }>();
  let free = 0;
  let refused = 0;
  let billable = 0;
  let currency: string | null = null;
  for (const row of rows) {
    if (cat === "MARKETING" && row.marketingStopped) {
      refused += 1;
      continue;
    }
    if (cat === "UTILITY" && row.windowOpen) {
      free += 1;
      continue;
    }
    const country = recipientCountryOf(row) ?? "*";
    const rate = rateFor(card, cat, country);
    currency ??= rate?.currency ?? null;
    const entry = byCountry.get(country) ?? { recipients: 0, rateMicros: rate?.rateMicros ?? 0, costMicros: 0 };
    entry.recipients += 1;
    entry.costMicros += rate?.rateMicros ?? 0;
    byCountry.set(country, entry);
    billable += 1;
  }
  const totalMicros = [...byCountry.values()].reduce((n, e) => n + e.costMicros, 0);
  const dates = card.map((r) => r.validFrom.getTime());
  return {
    recipients: rows.length,
    billable,
    free,
    refusedMarketingOptedOut: refused,
    category: cat,
    currency,
    totalMicros,
    total: (totalMicros / 1_000_000).toFixed(2),
    byCountry: [...byCountry.entries()]
      .map(([country, e]) => ({ country, recipients: e.recipients, rate: (e.rateMicros / 1_000_000).toFixed(4), costMicros: e.costMicros }))
      .sort((a, b) => b.costMicros - a.costMicros),
    newConversations: await newConversationsFor(db, tenantId, audience, csv, now),
    rateCardDate: dates.length ? new Date(Math.max(...dates)).toISOString().slice(0, 10) : null,
  };
}
