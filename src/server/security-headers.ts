/**
 * The security headers of every response (set in src/proxy.ts). Pages get a Content-Security-Policy with a
 * fresh nonce per request, which Next.js puts on its own scripts (Next's CSP guide: pages render dynamically);
 * no inline script runs without it. Nothing may frame Recado (clickjacking): frame-ancestors 'none' and, for old
 * browsers, X-Frame-Options DENY.
 */

export function contentSecurityPolicy({ nonce, dev, https }: { nonce: string | null; dev: boolean; https: boolean }) {
  const scripts = nonce ? `'self' 'nonce-${nonce}' 'strict-dynamic'` : "'none'";
  return [
    "default-src 'self'",
    // React uses eval() for its development error overlay only (Next's CSP guide)
    `script-src ${scripts}${dev ? " 'unsafe-eval'" : ""}`,
    // the dev server injects style tags without a nonce; React sets style attributes (bar widths) in both
    `style-src 'self' ${dev ? "'unsafe-inline'" : nonce ? `'nonce-${nonce}'` : ""}`.trim(),
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function applySecurityHeaders(headers: Headers, { csp, https }: { csp: string; https: boolean }) {
  headers.set("Content-Security-Policy", csp);
  headers.set("X-Frame-Options", "DENY");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  // only over https: a browser remembers it for two years (https://hstspreload.org's minimum is one)
  if (https) headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

/** A per-request nonce: 128 random bits, base64. */
export function newNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
