/**
 * `user_preferences` (Meta: webhooks/reference/user_preferences): a user stopped or resumed marketing messages from
 * the business. "stop" makes the contact refuse MARKETING templates (MARKETING_OPTED_OUT, messaging/policy.ts);
 * "resume" lifts it. The contact is found by phone number or BSUID in the bakery the number is assigned to.
 */
import type { Db } from "@/server/db";
import type { WebhookHandlers } from "@/server/webhooks/dispatch";

type Preference = { waId?: string; userId?: string; category?: string; value?: string; timestamp?: number | string };

export async function applyUserPreferences({
  db,
  metaPhoneNumberId,
  preferences,
}: {
  db: Db;
  metaPhoneNumberId: string;
  preferences: Preference[];
}) {
  const number = await db.phoneNumber.findUnique({ where: { metaPhoneNumberId }, select: { assignment: { select: { tenantId: true } } } });
  const tenantId = number?.assignment?.tenantId;
  if (!tenantId) return { updated: 0 };
  let updated = 0;
  for (const p of preferences) {
    if (p.category && p.category !== "marketing_messages") continue;
    const value = p.value?.toLowerCase();
    if (value !== "stop" && value !== "resume") continue;
    const phone = p.waId ? `+${p.waId.replace(/\D/g, "")}` : null;
    const at = p.timestamp !== undefined && /^\d+$/.test(String(p.timestamp)) ? new Date(Number(p.timestamp) * 1000) : new Date();
    const who = { tenantId, erasedAt: null, OR: [...(phone ? [{ phoneE164: phone }] : []), ...(p.userId ? [{ userId: p.userId }] : [])] };
    if (who.OR.length === 0) continue;
    const { count } =
      value === "stop"
        ? await db.contact.updateMany({
            where: { ...who, marketingOptedOutAt: null },
            data: { marketingOptedOutAt: at, marketingPreferenceSource: "user_preferences_stop" },
          })
        : await db.contact.updateMany({
            where: { ...who, NOT: { marketingOptedOutAt: null } },
            data: { marketingOptedOutAt: null, marketingPreferenceSource: "user_preferences_resume" },
          });
    updated += count;
  }
  return { updated };
}

export const contactWebhookHandlers = {
  async user_preferences(item, { db }) {
    const value = (item.payload ?? {}) as { userPreferences?: Preference[]; metadata?: { phoneNumberId?: string } };
    const metaPhoneNumberId = item.phoneNumberId ?? value.metadata?.phoneNumberId;
    if (!metaPhoneNumberId || !Array.isArray(value.userPreferences)) return;
    await applyUserPreferences({ db, metaPhoneNumberId, preferences: value.userPreferences });
  },
} satisfies WebhookHandlers;
