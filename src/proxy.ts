/**
 * Page-level access (Next 16's proxy, formerly middleware): signed-out visitors go to the sign-in page, owners
 * stay out of /admin, admins stay out of the bakery pages. API routes check access themselves (tRPC procedures,
 * webhook signatures), so they are not matched here.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getEnv } from "@/server/env";

const ownerPaths = ["/dashboard", "/contacts", "/messages", "/templates", "/broadcasts", "/settings"];

function startsWithAny(pathname: string, prefixes: string[]) {
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const token = await getToken({ req, secret: getEnv().NEXTAUTH_SECRET });
  const home = token?.role === "PLATFORM_ADMIN" ? "/admin" : "/dashboard";

  if (pathname === "/signin") {
    return token ? NextResponse.redirect(new URL(home, req.url)) : NextResponse.next();
  }
  if (!token) {
    const signIn = new URL("/signin", req.url);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  if (pathname === "/") return NextResponse.redirect(new URL(home, req.url));
  if (startsWithAny(pathname, ["/admin"]) && token.role !== "PLATFORM_ADMIN") {
    return NextResponse.redirect(new URL(`/forbidden?from=${encodeURIComponent(pathname)}`, req.url));
  }
  if (startsWithAny(pathname, ownerPaths) && token.role !== "TENANT_OWNER") {
    return NextResponse.redirect(new URL(`/forbidden?from=${encodeURIComponent(pathname)}`, req.url));
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
