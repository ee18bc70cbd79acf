import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { hashPassword, verifyPassword } from "@/server/auth/password";

export const minimumPasswordLength = 12;

/**
 * A new password for a signed-in user who proves the current one. Every session of the user ends, this one
 * included (the session version goes up): whoever copied a cookie or knew the old password is out.
 */
export async function changePassword({
  db,
  userId,
  currentPassword,
  newPassword,
}: {
  db: Db;
  userId: string;
  currentPassword: string;
  newPassword: string;
}) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("NOT_FOUND", "No user with that id.");
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION_FAILED", "Your current password is not right. Type it again.", { field: "currentPassword" });
  }
  if (newPassword === currentPassword) {
    throw new AppError("VALIDATION_FAILED", "The new password must differ from the current one.", { field: "newPassword" });
  }
  await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), sessionVersion: { increment: 1 } },
  });
  return { signedOut: true as const };
}
