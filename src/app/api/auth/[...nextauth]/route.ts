import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { clientAddressOf, signInBlock, throttledMessage } from "@/server/auth/sign-in-throttle";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// NextAuth 4 reads params synchronously; Next 16 hands them over as a promise.
async function handler(req: Request, context: RouteContext) {
  const params = await context.params;
  if (req.method === "POST" && params.nextauth.join("/") === "callback/credentials") {
    const refusal = await throttledSignIn(req);
    if (refusal) return refusal;
  }
  return NextAuth(req as never, { params } as never, getAuthOptions());
}

/** 429 before any password is hashed when the account or the address has failed too often (sign-in-throttle.ts). */
async function throttledSignIn(req: Request): Promise<Response | null> {
  const form = await req.clone().formData().catch(() => null);
  const email = String(form?.get("email") ?? "").trim().toLowerCase();
  const clientAddress = clientAddressOf(req.headers.get("x-forwarded-for"), getEnv().TRUSTED_PROXY_HOPS);
  const block = await signInBlock({ db: getDb(), email, clientAddress });
  if (!block) return null;
  const retryAfterSeconds = Math.max(1, Math.ceil((block.retryAt.getTime() - Date.now()) / 1000));
  return Response.json(
    { error: "TooManySignInAttempts", message: throttledMessage(block), retryAfterSeconds },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

export { handler as GET, handler as POST };
