/**
 * Why assigning a number deserves a second look, as keys of messages/<locale>/admin.json (`warning.<key>`).
 * The server sends codes (src/server/numbers/assignment.ts, `assignmentWarningCodes`, a closed set of three);
 * one we do not know reads as the generic warning, never in English.
 */
export type NumberWarning = "banned" | "notRegistered" | "blocked" | "other";

const known: readonly string[] = ["banned", "notRegistered", "blocked"];

export function numberWarningKey(code: string): NumberWarning {
  return known.includes(code) ? (code as NumberWarning) : "other";
}

export function numberWarningKeys(codes: readonly string[]): NumberWarning[] {
  return [...new Set(codes.map(numberWarningKey))];
}
