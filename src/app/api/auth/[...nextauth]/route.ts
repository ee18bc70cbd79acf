import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { throttledSignIn } from "@/server/auth/sign-in-throttle";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// NextAuth 4 reads params synchronously; Next 16 hands them over as a promise.
async function handler(req: Request, context: RouteContext) {
  const params = await context.params;
  if (req.method === "POST" && params.nextauth.join("/") === "callback/credentials") {
    const refusal = await throttledSignIn({ db: getDb(), req, trustedProxyHops: getEnv().TRUSTED_PROXY_HOPS });
    if (refusal) return refusal;
  }
  return NextAuth(req as never, { params } as never, getAuthOptions());
}

export { handler as GET, handler as POST };
