/**
 * Every request passes here (Next 16's proxy, formerly middleware):
 *   - security headers on every answer (src/server/security-headers.ts), a CSP nonce per page, and
 *     `Cache-Control: no-store` on the APIs (their answers carry one bakery's data);
 *   - page access: the session cookie must belong to an active session (src/server/auth/session-user.ts: the
 *     user still exists, the session version matches), and the role read from the database decides: signed-out
 *     visitors go to the sign-in page, owners stay out of /admin, admins stay out of the bakery pages.
 * API routes check access themselves (tRPC procedures, the REST wrapper, webhook signatures).
 */
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { activeSessionUser } from "@/server/auth/session-user";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { applySecurityHeaders, contentSecurityPolicy, newNonce } from "@/server/security-headers";

const ownerPaths = ["/dashboard", "/contacts", "/messages", "/templates", "/broadcasts", "/settings"];
const sessionCookies = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const dev = process.env.NODE_ENV === "development";
const publicFile = /^\/favicon\.ico$|\.(?:png|svg|ico|txt|webmanifest)$/;

function startsWithAny(pathname: string, prefixes: string[]) {
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

export async function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const https = req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";

  if (pathname.startsWith("/api/") || publicFile.test(pathname)) {
    const response = NextResponse.next();
    applySecurityHeaders(response.headers, { csp: contentSecurityPolicy({ nonce: null, dev, https }), https });
    if (/^\/api\/(trpc|v1|broadcasts)\//.test(pathname)) response.headers.set("Cache-Control", "no-store");
    return response;
  }

  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev, https });
  const access = await pageAccess(req);
  const response = access.redirectTo ? NextResponse.redirect(new URL(access.redirectTo, req.url)) : pageWithNonce(req, nonce, csp);
  // the cookie of an ended session is of no use: drop it, so the browser stops sending it
  if (access.sessionEnded) for (const name of sessionCookies) response.cookies.delete(name);
  applySecurityHeaders(response.headers, { csp, https });
  return response;
}

/** Next reads the nonce from the request's CSP header while rendering and puts it on every script it emits. */
function pageWithNonce(req: NextRequest, nonce: string, csp: string) {
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  return NextResponse.next({ request: { headers } });
}

/** Where to send the visitor instead (null: render the page), and whether the cookie is of an ended session. */
async function pageAccess(req: NextRequest): Promise<{ redirectTo: string | null; sessionEnded: boolean }> {
  const { pathname, search } = req.nextUrl;
  const token = await getToken({ req, secret: getEnv().NEXTAUTH_SECRET });
  const user = token?.sub ? await activeSessionUser(getDb(), { id: token.sub, sessionVersion: token.sessionVersion }) : null;
  const sessionEnded = Boolean(token && !user);
  const home = user?.role === "PLATFORM_ADMIN" ? "/admin" : "/dashboard";
  const forbidden = `/forbidden?from=${encodeURIComponent(pathname)}`;

  if (pathname === "/signin") return { redirectTo: user ? home : null, sessionEnded };
  if (!user) {
    const signIn = pathname === "/" ? "/signin" : `/signin?${new URLSearchParams({ callbackUrl: `${pathname}${search}` })}`;
    return { redirectTo: signIn, sessionEnded };
  }
  if (pathname === "/") return { redirectTo: home, sessionEnded };
  if (startsWithAny(pathname, ["/admin"]) && user.role !== "PLATFORM_ADMIN") return { redirectTo: forbidden, sessionEnded };
  if (startsWithAny(pathname, ownerPaths) && user.role !== "TENANT_OWNER") return { redirectTo: forbidden, sessionEnded };
  return { redirectTo: null, sessionEnded };
}

export const config = {
  matcher: ["/((?!_next/static|_next/image).*)"],
};
