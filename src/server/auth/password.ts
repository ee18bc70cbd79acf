/**
 * Password hashing with scrypt (memory-hard, built into Node: no native addon to install). Stored as
 * `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking existing hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";

/**
 * scrypt runs on libuv's thread pool (never on the event loop), and at most `hashingSlots` at once: a burst of
 * sign-ins queues here instead of taking every core (and every pool thread) from other users' requests.
 */
const hashingSlots = Math.max(1, availableParallelism() - 1);
let hashing = 0;
const waiting: (() => void)[] = [];

async function withHashingSlot<T>(run: () => Promise<T>): Promise<T> {
  if (hashing >= hashingSlots) await new Promise<void>((resolve) => waiting.push(resolve));
  else hashing += 1;
  try {
    return await run();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing -= 1;
  }
}

const scrypt = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  withHashingSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );

// OWASP's scrypt baseline: N=2^17, r=8, p=1 (128 MiB). maxmem must exceed 128*N*r.
const cost = { N: 2 ** 17, r: 8, p: 1 };
const keyLength = 32;
const maxmem = 256 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, keyLength, { ...cost, maxmem });
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64");
  const actual = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
}
