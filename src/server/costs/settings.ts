/** The admin's per-bakery cost settings: a monthly spend cap and a share of the shared account's messaging limit. */
import { z } from "zod";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { writeAudit, type Actor } from "@/server/audit/audit";

export const costSettingsInputSchema = z.object({
  /** in the rate card's currency, e.g. 50 (null removes the cap) */
  monthlySpendCap: z
    .number({ error: "expected the monthly cap as a number, e.g. 50, or null for no cap" })
    .min(0, "expected a cap of zero or more, e.g. 50")
    .max(1_000_000, "expected at most 1,000,000, e.g. 50")
    .nullable()
    .optional(),
  /** business-initiated conversations per 24 h (null: an equal split of the portfolio's limit) */
  dailyConversationShare: z
    .number({ error: "expected a whole number of conversations per day, e.g. 250, or null for an equal split" })
    .int("expected a whole number of conversations per day, e.g. 250")
    .min(0, "expected zero or more conversations per day, e.g. 250")
    .max(10_000_000, "expected at most 10,000,000 conversations per day")
    .nullable()
    .optional(),
});

export async function setTenantCostSettings({
  db,
  actor,
  tenantId,
  input,
}: {
  db: Db;
  actor: Actor;
  tenantId: string;
  input: z.infer<typeof costSettingsInputSchema>;
}) {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Bakery not found.", { tenant_id: tenantId });
  const data = {
    ...(input.monthlySpendCap !== undefined
      ? { monthlySpendCapCents: input.monthlySpendCap === null ? null : Math.round(input.monthlySpendCap * 100) }
      : {}),
    ...(input.dailyConversationShare !== undefined ? { dailyConversationShare: input.dailyConversationShare } : {}),
    updatedById: actor.userId,
  };
  return db.$transaction(async (tx) => {
    const before = await tx.tenantCostSettings.findUnique({ where: { tenantId } });
    const after = await tx.tenantCostSettings.upsert({ where: { tenantId }, update: data, create: { tenantId, ...data } });
    await writeAudit(tx, {
      actor,
      action: "cost_settings.updated",
      tenantId,
      targetType: "tenant",
      targetId: tenantId,
      before: {
        monthlySpendCapCents: before?.monthlySpendCapCents ?? null,
        dailyConversationShare: before?.dailyConversationShare ?? null,
      },
      after: { monthlySpendCapCents: after.monthlySpendCapCents, dailyConversationShare: after.dailyConversationShare },
    });
    return after;
  });
}

export async function listTenantCostSettings({ db }: { db: Db }) {
  return db.tenant.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      costSettings: { select: { monthlySpendCapCents: true, dailyConversationShare: true, updatedAt: true } },
    },
  });
}
