/**
 * A bakery that can send: a number of the simulator's shared account (created in the simulator and in our
 * database), WhatsApp on, templates synced, and contacts. Tests that change the simulator's state start their
 * own simulator; this one talks to whichever URL the app's Graph client uses (the run's shared simulator).
 */
import { randomInt } from "node:crypto";
import { afterAll } from "vitest";
import type { Db } from "@/server/db";
import { syncTemplates } from "@/server/templates/templates";
import { simulatorControl } from "@/meta-simulator/control-client";
import { createTenantWithOwner } from "@/test/fixtures";

export const simMasterWabaId = "102290129340398";

export async function masterAccount(db: Db) {
  return db.businessAccount.upsert({
    where: { wabaId: simMasterWabaId },
    update: {},
    create: { wabaId: simMasterWabaId, name: "Bakery Platform", kind: "MASTER" },
  });
}

export async function createSendingTenant(db: Db, simulatorUrl: string, options: { enabled?: boolean; language?: string } = {}) {
  const control = simulatorControl(simulatorUrl);
  const account = await masterAccount(db);
  const display = `+34 699 ${randomInt(100, 999)} ${randomInt(100, 999)}`;
  const simNumber = await control.createPhoneNumber({
    id: uniqueGraphId(),
    displayPhoneNumber: display,
    verifiedName: "Test Bakery",
    registered: true,
    wabaId: simMasterWabaId,
  } as never);
  const number = await db.phoneNumber.create({
    data: {
      metaPhoneNumberId: simNumber.id,
      businessAccountId: account.id,
      displayPhoneNumber: display,
      status: "CONNECTED",
      platformType: "CLOUD_API",
      qualityRating: "GREEN",
    },
  });
  const { tenant, owner } = await createTenantWithOwner(db);
  await db.whatsAppSettings.update({
    where: { tenantId: tenant.id },
    data: { enabled: options.enabled ?? true, phoneNumberId: number.id, language: options.language ?? "es" },
  });
  await syncTemplates({ db, businessAccountId: account.id });
  return { tenant, owner, number, account, control };
}

const testNumberIdPrefix = "97";
let idSeq = 0;
/** The simulator's own ids repeat after a reset (seeded PRNG): numbers created by tests get ids of their own. */
export function uniqueGraphId(): string {
  idSeq += 1;
  return `${testNumberIdPrefix}${Date.now()}${String(idSeq).padStart(3, "0")}${randomInt(10, 99)}`;
}

let phoneSeq = 0;
/** A Spanish mobile number no other test uses. */
export function uniquePhone(): string {
  phoneSeq += 1;
  return `+346${String(Date.now() % 10_000_000).padStart(7, "0")}${phoneSeq % 10}`.slice(0, 12);
}

export async function createContactRow(
  db: Db,
  tenantId: string,
  overrides: Partial<{
    phoneE164: string;
    optedIn: boolean;
    optedOutAt: Date;
    lastInboundAt: Date;
    notOnWhatsAppAt: Date;
    name: string;
  }> = {},
) {
  return db.contact.create({
    data: { tenantId, phoneE164: overrides.phoneE164 ?? uniquePhone(), optedIn: true, optedInAt: new Date(), ...overrides },
  });
}

/**
 * Tests here add numbers to the run's shared simulator; other files expect its default world (e.g. exactly four
 * numbers in the shared account). Files run one at a time, so putting it back after each file is enough.
 */
export function resetSharedSimulatorAfterAll(simulatorUrl: string) {
  afterAll(async () => {
    await simulatorControl(simulatorUrl).reset();
    // and our rows of those numbers (other files count the shared account's numbers in the database too)
    const { testDb } = await import("@/test/db");
    await testDb().phoneNumber.deleteMany({ where: { metaPhoneNumberId: { startsWith: testNumberIdPrefix } } });
  });
}
