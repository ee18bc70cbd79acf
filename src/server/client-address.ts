/**
 * Who is calling, as far as the network can tell. `npm run serve` appends the address of the socket a request came
 * in on to X-Forwarded-For, and each reverse proxy in front of it (TRUSTED_PROXY_HOPS of them) appends the address it
 * received the request from. So the caller is the entry `trustedProxyHops` places left of the last one; anything
 * further left was written by the caller and proves nothing.
 *
 * The answer is an IP address in canonical text, "invalid" when that entry holds something else, or null when the
 * header has no such entry. It never carries the text someone sent.
 */
import { isIP } from "node:net";

export function clientAddressFrom(forwardedFor: string | null | undefined, trustedProxyHops: number): string | null {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = hops[hops.length - 1 - Math.max(0, trustedProxyHops)];
  return entry === undefined ? null : canonicalAddress(entry);
}

/** An IP address in canonical text, or "invalid". */
export function canonicalAddress(candidate: string): string {
  let text = candidate.trim();
  // "[2001:db8::1]:443" and "203.0.113.9:443" as some proxies write them
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const version = isIP(text);
  if (version === 0) return "invalid";
  return version === 6 ? text.toLowerCase() : text;
}
