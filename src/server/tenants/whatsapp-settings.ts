/**
 * A bakery's own WhatsApp settings (Settings → Notifications): on/off and message language. The number is
 * assigned by a platform admin; credentials never appear here.
 */
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { messageLanguageCodes, type MessageLanguage } from "@/lib/languages";

export async function getWhatsAppSettings({ db, tenantId }: { db: Db; tenantId: string }) {
  const settings = await db.whatsAppSettings.upsert({
    where: { tenantId },
    create: { tenantId },
    update: {},
    select: {
      enabled: true,
      language: true,
      phoneNumber: { select: { displayPhoneNumber: true, verifiedName: true, qualityRating: true, status: true, healthStatus: true } },
    },
  });
  const number = settings.phoneNumber;
  return {
    enabled: settings.enabled,
    language: settings.language,
    phoneNumber: number,
    /** plain words for the owner: can notifications go out, and if not, why */
    sendingState: !number ? ("NO_NUMBER" as const) : !settings.enabled ? ("OFF" as const) : ("READY" as const),
  };
}

export async function updateWhatsAppSettings({
  db,
  actor,
  tenantId,
  enabled,
  language,
}: {
  db: Db;
  actor: Actor;
  tenantId: string;
  enabled?: boolean;
  language?: string;
}) {
  if (language !== undefined && !messageLanguageCodes.includes(language as MessageLanguage)) {
    throw new AppError("VALIDATION_FAILED", `Unsupported language '${language}'. Choose one of ${messageLanguageCodes.join(", ")}.`, {
      field: "language",
      expected: messageLanguageCodes,
    });
  }
  await db.$transaction(async (tx) => {
    const before = await tx.whatsAppSettings.upsert({
      where: { tenantId },
      create: { tenantId },
      update: {},
      select: { enabled: true, language: true },
    });
    const after = { enabled: enabled ?? before.enabled, language: language ?? before.language };
    if (after.enabled === before.enabled && after.language === before.language) return;
    await tx.whatsAppSettings.update({ where: { tenantId }, data: after });
    await writeAudit(tx, {
      actor,
      action: "whatsapp_settings.updated",
      tenantId,
      targetType: "whatsapp_settings",
      targetId: tenantId,
      before,
      after,
    });
  });
  return getWhatsAppSettings({ db, tenantId });
}
