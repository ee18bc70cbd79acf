/**
 * Numbers that exist both in the simulator and in our database, for health and registration tests. They live in
 * the simulator's customer account (109876543210987) as a bakery-owned account with a token of its own, so a
 * test can expire that token or move the number's state without touching the shared account other files use.
 */
import { afterAll, beforeEach, inject } from "vitest";
import { simulatorControl } from "@/meta-simulator/control-client";
import { encryptSecret } from "@/server/accounts/secrets";
import type { Db } from "@/server/db";

export const customerWabaId = "109876543210987";

export function sharedSimulator() {
  return simulatorControl(inject("simulatorUrl"));
}

/** A fresh bakery-owned account for the customer WABA, with a simulator token for it. */
export async function freshCustomerAccount(db: Db) {
  const control = sharedSimulator();
  await db.businessAccount.deleteMany({ where: { wabaId: customerWabaId } });
  const { token } = await control.createToken({
    wabaIds: [customerWabaId],
    scopes: ["whatsapp_business_management", "whatsapp_business_messaging"],
  });
  const account = await db.businessAccount.create({
    data: { wabaId: customerWabaId, name: "Health test account", kind: "TENANT_OWNED", accessTokenEncrypted: encryptSecret(token) },
  });
  return { account, token };
}

let seq = 0;

/** A number in the simulator (in the given state) and its row in our database. */
export async function createSimNumber(
  db: Db,
  accountId: string,
  state: Omit<Parameters<ReturnType<typeof simulatorControl>["createPhoneNumber"]>[0], "displayPhoneNumber"> = {},
) {
  seq += 1;
  const id = `17${Date.now() % 1e10}${seq}`.slice(0, 16);
  const display = `+34 699 ${String(seq).padStart(3, "0")} ${String(Date.now() % 1000).padStart(3, "0")}`;
  await sharedSimulator().createPhoneNumber({
    id,
    wabaId: customerWabaId,
    displayPhoneNumber: display,
    verifiedName: "Test Line",
    ...state,
  });
  const row = await db.phoneNumber.create({
    data: { metaPhoneNumberId: id, businessAccountId: accountId, displayPhoneNumber: display, verifiedName: "Test Line" },
  });
  return row;
}

/**
 * A number whose ownership is verified but whose display name is still in review: its first two register calls
 * fail with 100/2388001, the third succeeds (the simulator finishes the review), as Meta's do.
 */
export const numberAwaitingNameReview = {
  codeVerificationStatus: "VERIFIED",
  nameStatus: "PENDING_REVIEW",
  registered: false,
  status: "PENDING",
  pin: "123456",
  nameReview: { afterAttempts: 2 },
} as const satisfies Parameters<typeof createSimNumber>[2];

/**
 * For a test file on the customer account: the shared simulator reset and a fresh account before each test, and
 * both put back after the file. Returns the current account's id.
 */
export function useFreshCustomerAccount(db: Db): () => string {
  let accountId = "";
  beforeEach(async () => {
    await sharedSimulator().reset();
    accountId = (await freshCustomerAccount(db)).account.id;
  });
  afterAll(async () => {
    await sharedSimulator().reset();
    await db.businessAccount.deleteMany({ where: { wabaId: customerWabaId } });
  });
  return () => accountId;
}
