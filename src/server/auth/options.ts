import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { decoyPasswordHash, verifyPassword } from "@/server/auth/password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    // The Credentials provider only works with JWT sessions. Role and tenant travel in the token, and every
    // tRPC procedure re-reads them from the database (src/server/api/trpc.ts), so a changed role takes effect
    // on the next request, not at the next sign-in.
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = getDb();
          const user = await db.user.findUnique({ where: { email: parsed.data.email } });
          const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await decoyPasswordHash()));
          if (!user || !valid) return null;
          await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
          return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.tenantId = user.tenantId;
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
          };
        }
        return session;
      },
    },
  };
}

export function getServerAuthSession() {
  return getServerSession(getAuthOptions());
}
