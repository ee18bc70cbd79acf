/**
 * Refreshes our copy of the shared account's numbers from the Graph API (all pages). The list is a cache for
 * the admin pages and the assignment rules; Meta stays the source of truth.
 */
import type { Db } from "@/server/db";
import { phoneNumberColumns, phoneNumberSyncFields } from "@/server/health/fields";
import { applyHealthUpdate } from "@/server/health/health";
import type { GraphClient } from "@/server/whatsapp";

export async function syncMasterPhoneNumbers({
  db,
  graph,
  wabaId,
}: {
  db: Db;
  graph: Pick<GraphClient, "listPhoneNumbers">;
  wabaId: string;
}) {
  const numbers = await graph.listPhoneNumbers(wabaId, { fields: [...phoneNumberSyncFields] });
  const account = await db.businessAccount.upsert({
    where: { wabaId },
    update: {},
    create: { wabaId, name: "Shared WhatsApp Business Account", kind: "MASTER" },
  });
  const now = new Date();
  for (const info of numbers) {
    const columns = phoneNumberColumns(info);
    // New numbers are created as read; known ones go through the health service, so a change found by a refresh
    // lands on the timeline and raises its alerts like one found by the health poll.
    const row =
      (await db.phoneNumber.findUnique({ where: { metaPhoneNumberId: info.id }, select: { id: true } })) ??
      (await db.phoneNumber.create({
        data: { metaPhoneNumberId: info.id, businessAccountId: account.id, ...columns },
        select: { id: true },
      }));
    await applyHealthUpdate({ db, phoneNumberId: row.id, changes: columns, source: "sync", now });
  }
  return { synced: numbers.length, refreshedAt: now };
}
