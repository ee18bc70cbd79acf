/**
 * A token Meta refuses (error 190) marks its business account and raises one critical admin alert; a later
 * successful call (or a reconnect) clears the mark. Used by health checks, sending and Embedded Signup alike.
 */
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";

export async function markAccountTokenInvalid({ db, businessAccountId, reason }: { db: Db; businessAccountId: string; reason: string }) {
  const account = await db.businessAccount.update({
    where: { id: businessAccountId },
    data: { tokenInvalidAt: new Date(), tokenInvalidReason: reason.slice(0, 500) },
  });
  await raiseAlert({
    db,
    kind: "token_invalid",
    severity: "CRITICAL",
    dedupeKey: `token_invalid:${account.wabaId}`,
    tenantId: account.tenantId ?? undefined,
    title:
      account.kind === "MASTER" ? "The shared account's access token was refused" : `${account.name}: WhatsApp access token was refused`,
    message:
      account.kind === "MASTER"
        ? "Meta refused the system-user token of the shared account (error 190): no bakery on it can send. Replace META_ACCESS_TOKEN and restart."
        : "Meta refused this bakery's WhatsApp token (error 190): it cannot send until the owner reconnects WhatsApp in Settings.",
    details: { wabaId: account.wabaId, reason: reason.slice(0, 500) },
    params: { scope: account.kind === "MASTER" ? "shared" : "own", account: account.name },
  });
  return account;
}

export async function markAccountTokenValid({ db, businessAccountId }: { db: Db; businessAccountId: string }) {
  await db.businessAccount.updateMany({
    where: { id: businessAccountId, tokenInvalidAt: { not: null } },
    data: { tokenInvalidAt: null, tokenInvalidReason: null },
  });
}
