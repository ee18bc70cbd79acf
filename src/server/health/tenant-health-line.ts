/** The owner's one line about their WhatsApp number: connected, limited or action needed. */
import type { Db } from "@/server/db";

/** The owner's one line: connected / limited / action needed, for their own bakery's number only; `reason` picks the page's translation. */
export async function tenantHealthLine({ db, tenantId }: { db: Db; tenantId: string }) {
  const settings = await db.whatsAppSettings.findUnique({
    where: { tenantId },
    select: {
      phoneNumber: {
        select: {
          displayPhoneNumber: true,
          onboardingState: true,
          status: true,
          qualityRating: true,
          healthStatus: true,
          reauthRequiredAt: true,
          businessAccount: { select: { kind: true, tokenInvalidAt: true } },
        },
      },
    },
  });
  const number = settings?.phoneNumber;
  if (!number)
    return {
      level: "none" as const,
      reason: "none" as const,
      text: "No WhatsApp number yet.",
      detail: "Contact support to get a number assigned, or connect your own WhatsApp account.",
    };
  const ownAccount = number.businessAccount.kind === "TENANT_OWNED";
  if (number.reauthRequiredAt || (ownAccount && number.businessAccount.tokenInvalidAt)) {
    return {
      level: "action" as const,
      number: number.displayPhoneNumber,
      text: "Action needed: reconnect WhatsApp",
      reason: "reconnect" as const,
      detail: "Meta needs you to authorize Recado again. Use “Connect your own WhatsApp” in Settings with the same number.",
    };
  }
  if (number.status && ["BANNED", "DISCONNECTED", "DELETED"].includes(number.status)) {
    return {
      level: "action" as const,
      number: number.displayPhoneNumber,
      text: "Action needed: number cannot send",
      reason: "stopped" as const,
      detail: "Meta stopped this number. Support has been alerted and will contact you.",
    };
  }
  if (number.onboardingState && number.onboardingState !== "CONNECTED") {
    return {
      level: "limited" as const,
      number: number.displayPhoneNumber,
      text: "Being set up",
      reason: "settingUp" as const,
      detail: "Meta is still preparing this number; messages can be sent once it is connected. Nothing to do on your side.",
    };
  }
  if (
    number.healthStatus === "LIMITED" ||
    number.healthStatus === "BLOCKED" ||
    number.qualityRating === "RED" ||
    number.status === "FLAGGED" ||
    number.status === "RESTRICTED"
  ) {
    return {
      level: "limited" as const,
      number: number.displayPhoneNumber,
      text: "Connected, limited",
      reason: "limited" as const,
      detail: "Meta limits this number for now (quality or messaging limit). Keep messages relevant; support is watching it.",
    };
  }
  return {
    level: "ok" as const,
    number: number.displayPhoneNumber,
    text: "Connected",
    reason: "ok" as const,
    detail: "Your WhatsApp number is healthy and can send messages.",
  };
}
