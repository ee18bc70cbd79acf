import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { decoyPasswordHash, verifyPassword } from "@/server/auth/password";
import { sameOriginPath } from "@/lib/same-origin-path";
import { clearAccountFailures, clientAddressOf, recordSignInFailure } from "@/server/auth/sign-in-throttle";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    // The Credentials provider only works with JWT sessions. The token carries the user id and session version;
    // every request re-reads role, bakery and version from the database (src/server/auth/session-user.ts), so
    // a changed role or an ended session counts on the next request, not at the next sign-in.
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        // The route (src/app/api/auth/[...nextauth]/route.ts) refuses a throttled account or address before this
        // runs. An unknown e-mail and a wrong password take the same path: one lookup, one scrypt, one failure row.
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = getDb();
          const { email, password } = parsed.data;
          const user = await db.user.findUnique({ where: { email } });
          const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
          if (!user || !valid) {
            const forwardedFor = req.headers?.["x-forwarded-for"];
            const clientAddress = clientAddressOf(typeof forwardedFor === "string" ? forwardedFor : null, env.TRUSTED_PROXY_HOPS);
            await recordSignInFailure({ db, email, clientAddress });
            return null;
          }
          await clearAccountFailures({ db, email });
          await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
          const { id, name, role, tenantId, sessionVersion } = user;
          return { id, email: user.email, name, role, tenantId, sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.tenantId = user.tenantId;
          token.sessionVersion = user.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub && token.role) {
          session.user = {
            id: token.sub,
            email: token.email ?? "",
            name: token.name ?? "",
            role: token.role,
            tenantId: token.tenantId ?? null,
            sessionVersion: token.sessionVersion ?? 0,
          };
        }
        return session;
      },
      // after sign-in and sign-out: only a path of this app (an off-site or `//host` callbackUrl lands on "/")
      redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${sameOriginPath(path)}`;
      },
    },
    events: {
      // a copied cookie must not outlive the sign-out: raise the version every cookie of this user carries
      async signOut({ token }) {
        if (!token?.sub) return;
        await getDb().user.updateMany({
          where: { id: token.sub, sessionVersion: token.sessionVersion ?? 0 },
          data: { sessionVersion: { increment: 1 } },
        });
      },
    },
  };
}

export function getServerAuthSession() {
  return getServerSession(getAuthOptions());
}
