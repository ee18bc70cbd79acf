import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// NextAuth 4 reads params synchronously; Next 16 hands them over as a promise.
async function handler(req: Request, context: RouteContext) {
  return NextAuth(req as never, { params: await context.params } as never, getAuthOptions());
}

export { handler as GET, handler as POST };
