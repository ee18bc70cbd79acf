/**
 * The cost ledger. Every outbound message keeps the pricing Meta sent in its status webhooks (Meta: pricing: per-message
 * pricing since 2025-07-01, `pricing.category` / `type` / `billable`) and its cost by the rate card in force when it
 * was sent (messaging/status-effects.ts). Here: cost per message, per broadcast, per bakery and per month, and the
 * dated rate card an admin keeps (a change is a new row from its date on; history stays, costs already priced stay).
 * Amounts are millionths of the card's currency ("micros"); `formatted` is the same in plain figures.
 */
import { z } from "zod";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { writeAudit, type Actor } from "@/server/audit/audit";

export const pricingCategories = ["MARKETING", "UTILITY", "AUTHENTICATION", "SERVICE"] as const;
export type PricingCategory = (typeof pricingCategories)[number];

const money = (micros: number, currency: string | null) => ({ micros, currency, formatted: (micros / 1_000_000).toFixed(4) });

/** The first instant of the UTC month of `month` ("2026-12") or of now. */
export function monthRange(month?: string, now = new Date()) {
  const [y, m] = month ? month.split("-").map(Number) : [now.getUTCFullYear(), now.getUTCMonth() + 1];
  const from = new Date(Date.UTC(y!, m! - 1, 1));
  const to = new Date(Date.UTC(y!, m!, 1));
  return { month: from.toISOString().slice(0, 7), from, to };
}

export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM, e.g. "2026-12"')
  .optional();

export async function messageCost({ db, tenantId, messageId }: { db: Db; tenantId: string; messageId: string }) {
  const message = await db.message.findFirst({
    where: { id: messageId, tenantId },
    select: {
      id: true,
      pricingCategory: true,
      pricingType: true,
      pricingModel: true,
      billable: true,
      costMicros: true,
      costCurrency: true,
      recipientCountry: true,
      pricedAt: true,
    },
  });
  if (!message) throw new AppError("NOT_FOUND", "Message not found.", { message_id: messageId });
  return { ...message, cost: message.costMicros === null ? null : money(message.costMicros, message.costCurrency) };
}

type SumRow = { category: string | null; messages: number; priced: number; micros: number; currency: string | null };

function summed(rows: SumRow[]) {
  const currency = rows.find((r) => r.currency)?.currency ?? null;
  const total = rows.reduce((n, r) => n + Number(r.micros), 0);
  return {
    total: money(total, currency),
    messages: rows.reduce((n, r) => n + r.messages, 0),
    /** messages whose pricing has not arrived yet are counted here but cost nothing so far */
    unpriced: rows.reduce((n, r) => n + (r.messages - r.priced), 0),
    byCategory: rows
      .filter((r) => r.category)
      .map((r) => ({ category: r.category!, messages: r.messages, cost: money(Number(r.micros), r.currency ?? currency) })),
  };
}

export async function broadcastCost({ db, tenantId, broadcastId }: { db: Db; tenantId: string; broadcastId: string }) {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId }, select: { id: true, name: true } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  // its recipients' messages and the 131049 retries sent for them
  const rows = await db.$queryRaw<SumRow[]>`
    SELECT m."pricingCategory" AS category, count(*)::int AS messages, count(m."pricedAt")::int AS priced,
           COALESCE(sum(m."costMicros"), 0)::bigint AS micros, max(m."costCurrency") AS currency
      FROM "messages" m
     WHERE m."tenantId" = ${tenantId} AND (
           m."id" IN (SELECT r."messageId" FROM "broadcast_recipients" r WHERE r."broadcastId" = ${broadcastId} AND r."messageId" IS NOT NULL)
        OR m."id" IN (SELECT x."retryMessageId" FROM "marketing_retries" x WHERE x."broadcastId" = ${broadcastId} AND x."retryMessageId" IS NOT NULL))
     GROUP BY 1 ORDER BY 1`;
  return { broadcastId: broadcast.id, name: broadcast.name, ...summed(rows) };
}

/** A bakery's messages of one UTC month (default: this one). */
export async function bakeryMonthCost({ db, tenantId, month, now }: { db: Db; tenantId: string; month?: string; now?: Date }) {
  const range = monthRange(month, now);
  const rows = await db.$queryRaw<SumRow[]>`
    SELECT m."pricingCategory" AS category, count(*)::int AS messages, count(m."pricedAt")::int AS priced,
           COALESCE(sum(m."costMicros"), 0)::bigint AS micros, max(m."costCurrency") AS currency
      FROM "messages" m
     WHERE m."tenantId" = ${tenantId} AND m."direction" = 'OUTBOUND' AND m."createdAt" >= ${range.from} AND m."createdAt" < ${range.to}
     GROUP BY 1 ORDER BY 1`;
  const settings = await db.tenantCostSettings.findUnique({ where: { tenantId }, select: { monthlySpendCapCents: true } });
  const sum = summed(rows);
  const capMicros = settings?.monthlySpendCapCents != null ? settings.monthlySpendCapCents * 10_000 : null;
  return {
    month: range.month,
    ...sum,
    cap: capMicros === null ? null : money(capMicros, sum.total.currency),
    capReached: capMicros !== null && sum.total.micros >= capMicros,
  };
}

/** Every bakery's spend in one UTC month, most expensive first (the admin's overview). */
export async function allBakeriesMonthCost({ db, month, now }: { db: Db; month?: string; now?: Date }) {
  const range = monthRange(month, now);
  const rows = await db.$queryRaw<
    { tenantId: string; name: string; messages: number; micros: number; currency: string | null; capCents: number | null }[]
  >`
    SELECT t."id" AS "tenantId", t."name", count(m."id")::int AS messages, COALESCE(sum(m."costMicros"), 0)::bigint AS micros,
           max(m."costCurrency") AS currency, cs."monthlySpendCapCents" AS "capCents"
      FROM "tenants" t
      LEFT JOIN "messages" m ON m."tenantId" = t."id" AND m."direction" = 'OUTBOUND' AND m."createdAt" >= ${range.from} AND m."createdAt" < ${range.to}
      LEFT JOIN "tenant_cost_settings" cs ON cs."tenantId" = t."id"
     GROUP BY t."id", t."name", cs."monthlySpendCapCents"
     ORDER BY micros DESC, t."name"`;
  const bakeries = rows.map((r) => ({
    tenantId: r.tenantId,
    name: r.name,
    messages: r.messages,
    spend: money(Number(r.micros), r.currency),
    cap: r.capCents === null ? null : money(r.capCents * 10_000, r.currency),
  }));
  return {
    month: range.month,
    total: money(
      bakeries.reduce((n, b) => n + b.spend.micros, 0),
      rows.find((r) => r.currency)?.currency ?? null,
    ),
    bakeries,
  };
}

// --- the rate card ---------------------------------------------------------------------------------------------

export type Rate = { category: string; country: string; currency: string; rateMicros: number; validFrom: Date; source: string };

/** The rates in force at `at` (default now): for each category and country, its newest row from before then. */
export async function rateCardAt({ db, at = new Date() }: { db: Db; at?: Date }): Promise<Rate[]> {
  return db.$queryRaw<Rate[]>`
    SELECT DISTINCT ON ("category", "country") "category", "country", "currency", "rateMicros", "validFrom", "source"
      FROM "rate_cards" WHERE "validFrom" <= ${at}
     ORDER BY "category", "country", "validFrom" DESC`;
}

/** The rate for one message: its country's, else the "*" row; SERVICE (and unknown) is free. */
export function rateFor(card: Rate[], category: string, country: string | null): Rate | null {
  return (
    card.find((r) => r.category === category && r.country === country) ??
    card.find((r) => r.category === category && r.country === "*") ??
    null
  );
}

export const rateInputSchema = z.object({
  category: z.enum(pricingCategories, { error: `expected one of ${pricingCategories.join(", ")}, e.g. "MARKETING"` }),
  country: z.string().regex(/^([A-Z]{2}|\*)$/, 'expected a two-letter country code in capitals, e.g. "ES", or "*" for every other country'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter currency code, e.g. "USD"'),
  /** per message, in the currency's units, e.g. 0.0615 */
  rate: z
    .number({ error: "expected the price of one message as a number, e.g. 0.0615" })
    .min(0, "expected a price of zero or more, e.g. 0.0615")
    .max(10, "expected at most 10 per message, e.g. 0.0615"),
  validFrom: z.coerce.date({ error: 'expected the date the rate applies from, e.g. "2026-01-01"' }),
});

export async function setRate({ db, actor, input }: { db: Db; actor: Actor; input: z.infer<typeof rateInputSchema> }) {
  const rateMicros = Math.round(input.rate * 1_000_000);
  return db.$transaction(async (tx) => {
    const row = await tx.rateCard.upsert({
      where: { category_country_validFrom: { category: input.category, country: input.country, validFrom: input.validFrom } },
      update: { rateMicros, currency: input.currency, source: actor.label },
      create: {
        category: input.category,
        country: input.country,
        currency: input.currency,
        rateMicros,
        validFrom: input.validFrom,
        source: actor.label,
      },
    });
    await writeAudit(tx, {
      actor,
      action: "rate_card.set",
      targetType: "rate_card",
      targetId: row.id,
      after: { category: row.category, country: row.country, currency: row.currency, rateMicros, validFrom: row.validFrom.toISOString() },
    });
    return row;
  });
}
