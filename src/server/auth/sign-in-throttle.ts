/**
 * Sign-in throttling, per account (the e-mail as typed, known or not) and per client address: after too many
 * failures within the window the next attempt is refused with 429 and the time to try again, before any
 * password is hashed. Failures live in Postgres, so every app instance sees the same count.
 */
import type { Db } from "@/server/db";
import { clientAddressFrom } from "@/server/client-address";

export const signInLimits = {
  windowMs: 15 * 60_000,
  /** OWASP: lock an account out after a few failures, for a limited time */
  failuresPerAccount: 10,
  /** higher: one office or one carrier NAT can hold many honest users */
  failuresPerAddress: 50,
};

export type SignInBlock = { retryAt: Date; reason: "account" | "address" };

/** When the oldest of the last `limit` failures leaves the window, or null while fewer than `limit`. */
async function retryAtFor(db: Db, where: { email: string } | { clientAddress: string }, limit: number, now: Date) {
  const since = new Date(now.getTime() - signInLimits.windowMs);
  const recent = await db.signInFailure.findMany({
    where: { ...where, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { createdAt: true },
  });
  if (recent.length < limit) return null;
  return new Date(recent[recent.length - 1]!.createdAt.getTime() + signInLimits.windowMs);
}

export async function signInBlock({
  db,
  email,
  clientAddress,
  now = new Date(),
}: {
  db: Db;
  email: string;
  clientAddress: string;
  now?: Date;
}): Promise<SignInBlock | null> {
  const [account, address] = await Promise.all([
    retryAtFor(db, { email }, signInLimits.failuresPerAccount, now),
    retryAtFor(db, { clientAddress }, signInLimits.failuresPerAddress, now),
  ]);
  if (account && (!address || account >= address)) return { retryAt: account, reason: "account" };
  if (address) return { retryAt: address, reason: "address" };
  return null;
}

export async function recordSignInFailure({
  db,
  email,
  clientAddress,
  now = new Date(),
}: {
  db: Db;
  email: string;
  clientAddress: string;
  now?: Date;
}) {
  await db.signInFailure.create({ data: { email, clientAddress, createdAt: now } });
  // failures older than the window count for nothing: keep the table small
  await db.signInFailure.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - signInLimits.windowMs) } } });
}

/** A successful sign-in starts the account's count afresh (the address keeps its count). */
export async function clearAccountFailures({ db, email }: { db: Db; email: string }) {
  await db.signInFailure.deleteMany({ where: { email } });
}

/** "Too many failed sign-ins. Try again in 14 minutes." */
export function throttledMessage(block: SignInBlock, now = new Date()) {
  const minutes = Math.max(1, Math.ceil((block.retryAt.getTime() - now.getTime()) / 60_000));
  const when = minutes === 1 ? "in a minute" : `in ${minutes} minutes`;
  return block.reason === "account"
    ? `Too many failed sign-ins for this account. Try again ${when}.`
    : `Too many failed sign-ins from your network. Try again ${when}.`;
}

/** The caller's address by the one rule for every caller (src/server/client-address.ts). */
export function clientAddressOf(forwardedFor: string | null, trustedHops: number): string {
  return clientAddressFrom(forwardedFor, trustedHops) ?? "unknown";
}

/** The 429 answer to a sign-in POST (before any password is hashed), or null when the attempt may go ahead. */
export async function throttledSignIn({
  db,
  req,
  trustedProxyHops,
  now = new Date(),
}: {
  db: Db;
  req: Request;
  trustedProxyHops: number;
  now?: Date;
}): Promise<Response | null> {
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get("email") ?? "")
    .trim()
    .toLowerCase();
  const clientAddress = clientAddressOf(req.headers.get("x-forwarded-for"), trustedProxyHops);
  const block = await signInBlock({ db, email, clientAddress, now });
  if (!block) return null;
  const retryAfterSeconds = Math.max(1, Math.ceil((block.retryAt.getTime() - now.getTime()) / 1000));
  return Response.json(
    // reason: the sign-in page words the message in the reader's language from it
    { error: "TooManySignInAttempts", message: throttledMessage(block, now), reason: block.reason, retryAfterSeconds },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
