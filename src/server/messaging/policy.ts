/**
 * Send-policy checks added for Meta's 2025–2026 rules, called by `prepareSend` (src/server/messaging/send.ts) after
 * the template check, and meant to be called the same way by any batch path that prepares many sends:
 *
 *   6. `marketingAllowed(contact, template)`: no MARKETING template to a contact who stopped marketing messages
 *      (131050 or a user_preferences "stop"; Meta: webhooks/reference/user_preferences) → MARKETING_OPTED_OUT.
 *      Utility and authentication templates and free-form replies still go.
 *   7. `spendAllowed({ db, tenantId, spend, billable })`: the bakery's monthly spend cap, set by the admin, is not
 *      reached → SPEND_CAP_REACHED, and the admin is alerted (one open alert per bakery and month). `spend` is read
 *      with the other send facts in the same statement (`spendFactsSql`), so a single send stays at 3 round trips.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { raiseAlert } from "@/server/alerts/alerts";

export type SpendFacts = { capCents: number | null; spentMicros: number };

/** A JSON object `{ capCents, spentMicros }`: the cap and the priced cost of this UTC month's messages (summed only when capped). */
export function spendFactsSql(tenantId: string): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object(
      'capCents', cs."monthlySpendCapCents",
      'spentMicros', CASE WHEN cs."monthlySpendCapCents" IS NULL THEN 0 ELSE (
        SELECT COALESCE(sum(m."costMicros"), 0) FROM "messages" m
         WHERE m."tenantId" = ${tenantId} AND m."createdAt" >= date_trunc('month', now() AT TIME ZONE 'UTC')) END)
    FROM (SELECT 1) one LEFT JOIN "tenant_cost_settings" cs ON cs."tenantId" = ${tenantId})`;
}

export function marketingAllowed(
  contact: { id: string; marketingOptedOutAt: Date | null },
  template: { name: string; category: string | null },
): void {
  if (contact.marketingOptedOutAt && template.category?.toUpperCase() === "MARKETING") {
    throw new AppError(
      "MARKETING_OPTED_OUT",
      "This person asked WhatsApp to stop marketing messages from you, so Recado does not send them one. Order updates and other utility messages still go.",
      {
        contact_id: contact.id,
        template_name: template.name,
        template_category: "MARKETING",
        marketing_opted_out_at: contact.marketingOptedOutAt.toISOString(),
        solution: "Send a utility template instead; marketing resumes when the person turns marketing messages back on in WhatsApp",
      },
    );
  }
}

/** Whether a send is refused by the bakery's cap; free sends (`billable: false`) always go. */
export async function spendAllowed({
  db,
  tenantId,
  spend,
  billable,
  now = new Date(),
}: {
  db: Db;
  tenantId: string;
  spend: SpendFacts;
  billable: boolean;
  now?: Date;
}): Promise<void> {
  if (!billable || spend.capCents === null) return;
  const capMicros = spend.capCents * 10_000;
  if (Number(spend.spentMicros) < capMicros) return;
  const month = now.toISOString().slice(0, 7);
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { name: true } });
  await raiseAlert({
    db,
    kind: "spend_cap_reached",
    severity: "WARNING",
    dedupeKey: `spend_cap_reached:${tenantId}:${month}`,
    tenantId,
    title: `${tenant?.name ?? "A bakery"} reached its monthly spend cap`,
    message: `Its messages cost ${formatMicros(Number(spend.spentMicros))} this month (cap ${formatMicros(capMicros)}), so Recado refuses its paid sends until next month. Raise the cap in Costs if the bakery should go on sending.`,
    details: { month, spentMicros: Number(spend.spentMicros), capCents: spend.capCents },
    params: { bakery: tenant?.name ?? null, spentEuros: Number(spend.spentMicros) / 1e6, capEuros: capMicros / 1e6, month },
  });
  throw new AppError(
    "SPEND_CAP_REACHED",
    "This bakery has reached its monthly WhatsApp spending limit, so paid messages are paused until next month.",
    {
      month,
      spent: formatMicros(Number(spend.spentMicros)),
      cap: formatMicros(capMicros),
      solution: "Ask the platform admin to raise the monthly cap",
    },
  );
}

/** "12.34" from millionths (two decimals, the card's currency). */
export const formatMicros = (micros: number) => (micros / 1_000_000).toFixed(2);
