/**
 * How bakery owners reach support: an e-mail address and/or a web page, set by the platform admin and shown to
 * owners as links (e.g. "Contact support" when a bakery has no number yet). One row, audited before/after.
 */
import { z } from "zod";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";

const rowId = "platform";

export type SupportContact = { email: string | null; url: string | null; updatedAt: Date | null };

export const supportContactSchema = z.object({
  email: z
    .union([z.literal(""), z.email('expected an e-mail address, e.g. "soporte@recado.es"').max(200)])
    .nullable()
    .transform((v) => v || null),
  url: z
    .union([
      z.literal(""),
      z
        .url({ protocol: /^https$/, error: 'expected a web address beginning with https://, e.g. "https://recado.es/ayuda"' })
        .max(500, "expected at most 500 characters"),
    ])
    .nullable()
    .transform((v) => v || null),
});

export async function getSupportContact({ db }: { db: Db }): Promise<SupportContact> {
  const row = await db.platformSettings.findUnique({ where: { id: rowId } });
  return { email: row?.supportEmail ?? null, url: row?.supportUrl ?? null, updatedAt: row?.updatedAt ?? null };
}

export async function updateSupportContact({
  db,
  actor,
  email,
  url,
}: {
  db: Db;
  actor: Actor;
  email: string | null;
  url: string | null;
}): Promise<SupportContact> {
  return db.$transaction(async (tx) => {
    const before = await tx.platformSettings.findUnique({ where: { id: rowId } });
    const row = await tx.platformSettings.upsert({
      where: { id: rowId },
      create: { id: rowId, supportEmail: email, supportUrl: url, updatedById: actor.userId },
      update: { supportEmail: email, supportUrl: url, updatedById: actor.userId },
    });
    await writeAudit(tx, {
      actor,
      action: "platform.support_contact",
      targetType: "platform_settings",
      targetId: rowId,
      before: { email: before?.supportEmail ?? null, url: before?.supportUrl ?? null },
      after: { email, url },
    });
    return { email: row.supportEmail, url: row.supportUrl, updatedAt: row.updatedAt };
  });
}
