/**
 * Who a session cookie belongs to, read from the database on every request: a deleted user, a changed role or
 * bakery, and a raised session version (sign-out, password change, "sign out everywhere") count at once.
 */
import type { Db } from "@/server/db";

export type SessionClaims = { id: string; sessionVersion?: number | null };

export async function activeSessionUser(db: Db, claims: SessionClaims | null | undefined) {
  if (!claims?.id) return null;
  const user = await db.user.findUnique({
    where: { id: claims.id },
    select: { id: true, email: true, name: true, role: true, tenantId: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== (claims.sessionVersion ?? 0)) return null;
  return user;
}

/** Ends every copy of every session of the user: their cookies carry the old version. */
export async function endAllSessions(db: Db, userId: string) {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
