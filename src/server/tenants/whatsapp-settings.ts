/**
 * A bakery's own WhatsApp settings (Settings → Notifications): on/off, message language and the bakery's time zone
 * (scheduled broadcasts are typed and started in it). The number is assigned by a platform admin; credentials never
 * appear here.
 */
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { messageLanguageCodes, type MessageLanguage } from "@/lib/languages";
import { isTimeZone } from "@/lib/zoned-time";

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
  const { timeZone } = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true } });
  return {
    enabled: settings.enabled,
    language: settings.language,
    timeZone,
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

/** The zones a bakery can choose: every IANA zone this runtime knows (Intl.supportedValuesOf), plus UTC. */
export function selectableTimeZones(): string[] {
  return [...Intl.supportedValuesOf("timeZone"), "UTC"];
}

/** Sets the bakery's time zone (scheduled broadcasts already scheduled keep their instant); audited before/after. */
export async function updateTimeZone({ db, actor, tenantId, timeZone }: { db: Db; actor: Actor; tenantId: string; timeZone: string }) {
  if (!selectableTimeZones().includes(timeZone) || !isTimeZone(timeZone)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `Unknown time zone '${timeZone}'. Choose one from the list, e.g. Europe/Madrid or Atlantic/Canary.`,
      {
        field: "timeZone",
        expected: "an IANA time zone",
        example: "Europe/Madrid",
      },
    );
  }
  await db.$transaction(async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true } });
    if (before.timeZone === timeZone) return;
    await tx.tenant.update({ where: { id: tenantId }, data: { timeZone } });
    await writeAudit(tx, {
      actor,
      action: "tenant.time_zone_updated",
      tenantId,
      targetType: "tenant",
      targetId: tenantId,
      before,
      after: { timeZone },
    });
  });
  return getWhatsAppSettings({ db, tenantId });
}
