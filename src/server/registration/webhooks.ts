/**
 * Registration's webhook handler. phone_number_name_update carries Meta's display-name decision: health applies it
 * (src/server/health/webhooks.ts), and a number that was waiting for provisioning gets one registration attempt at
 * once instead of waiting for the retry's next round — Meta says to register again after the name is approved
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration).
 * The attempt re-reads the number first and spends budget only if the rule says register.
 */
import type { Db } from "@/server/db";
import { applyNameDecision } from "@/server/health/webhooks";
import { attemptRegistration } from "@/server/registration/attempts";
import type { StoredWebhookItem, WebhookHandlers } from "@/server/webhooks/dispatch";

async function onNameUpdate(item: StoredWebhookItem, { db }: { db: Db }) {
  const { decision, numberIds } = await applyNameDecision(item, { db });
  if (decision !== "APPROVED") return;
  for (const phoneNumberId of numberIds) {
    const { onboardingState } = await db.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, select: { onboardingState: true } });
    if (onboardingState === "PENDING_PROVISIONING") await attemptRegistration({ db, phoneNumberId, trigger: "name_approved" });
  }
}

/** The registration fields, by webhook field (listed in src/server/wiring). */
export const registrationWebhookHandlers = {
  phone_number_name_update: onNameUpdate,
} satisfies WebhookHandlers;
