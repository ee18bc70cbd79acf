/**
 * A bakery that can send: a number of the simulator's shared account (created in the simulator and in our
 * database), WhatsApp on, templates synced, and contacts. Tests that change the simulator's state start their
 * own simulator; this one talks to whichever URL the app's Graph client uses (the run's shared simulator).
 */
import { randomInt } from "node:crypto";
import type { Db } from "@/server/db";
import { syncTemplates } from "@/server/templates/templates";
import { simulatorControl } from "@/meta-simulator/control-client";
import { createTenantWithOwner } from "@/test/fixtures";

export const simMasterWabaId = "102290129340398";

export async function masterAccount(db: Db) {
  return db.businessAccount.upsert({ where: { wabaId: simMasterWabaId }, update: {}, create: { wabaId: simMasterWabaId, name: "Bakery Platform", kind: "MASTER" } });
}

export async function createSendingTenant(db: Db, simulatorUrl: string, options: { enabled?: boolean; language?: string } = {}) {
  const control = simulatorControl(simulatorUrl);
  const account = await masterAccount(db);
  const display = `+34 699 ${randomInt(100, 999)} ${randomInt(100, 999)}`;
  const simNumber = await control.createPhoneNumber({ displayPhoneNumber: display, verifiedName: "Test Bakery", registered: true, wabaId: simMasterWabaId } as never);
  const number = await db.phoneNumber.create({
    data: { metaPhoneNumberId: simNumber.id, businessAccountId: account.id, displayPhoneNumber: display, status: "CONNECTED", platformType: "CLOUD_API", qualityRating: "GREEN" },
  });
  const { tenant, owner } = await createTenantWithOwner(db);
  await db.whatsAppSettings.update({ where: { tenantId: tenant.id }, data: { enabled: options.enabled ?? true, phoneNumberId: number.id, language: options.language ?? "es" } });
  await syncTemplates({ db, businessAccountId: account.id });
  return { tenant, owner, number, account, control };
}

let phoneSeq = 0;
/** A Spanish mobile number no other test uses. */
export function uniquePhone(): string {
  phoneSeq += 1;
  return `+346${String(Date.now() % 10_000_000).padStart(7, "0")}${phoneSeq % 10}`.slice(0, 12);
}

export async function createContactRow(db: Db, tenantId: string, overrides: Partial<{ phoneE164: string; optedIn: boolean; optedOutAt: Date; lastInboundAt: Date; notOnWhatsAppAt: Date; name: string }> = {}) {
  return db.contact.create({ data: { tenantId, phoneE164: overrides.phoneE164 ?? uniquePhone(), optedIn: true, optedInAt: new Date(), ...overrides } });
}
