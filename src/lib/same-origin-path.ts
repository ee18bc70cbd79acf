/**
 * Where to go after sign-in: only a path of this app (`/contacts?page=2`), never `https://elsewhere`,
 * `//elsewhere` (protocol-relative) or `/\elsewhere` (browsers read the backslash as a slash). Used by the
 * sign-in page and NextAuth's redirect callback.
 */
export function sameOriginPath(candidate: string | null | undefined, fallback = "/"): string {
  if (!candidate || !candidate.startsWith("/") || candidate.startsWith("//") || /[\\\u0000-\u001f]/.test(candidate)) return fallback;
  try {
    const base = new URL("http://recado.invalid");
    const url = new URL(candidate, base);
    return url.origin === base.origin ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
