/**
 * Why assigning a number deserves a second look, as keys of messages/<locale>/admin.json (`warning.<key>`).
 * The server sends its English sentences (src/server/numbers/assignment.ts, `assignmentWarnings`, a closed set
 * of three); each is recognised here, and one we do not know reads as the generic warning, never in English.
 */
export type NumberWarning = "banned" | "notRegistered" | "blocked" | "other";

export function numberWarningKey(warning: string): NumberWarning {
  if (/\bbanned\b/i.test(warning)) return "banned";
  if (/not registered/i.test(warning)) return "notRegistered";
  if (/\bblocked\b/i.test(warning)) return "blocked";
  return "other";
}

export function numberWarningKeys(warnings: readonly string[]): NumberWarning[] {
  return [...new Set(warnings.map(numberWarningKey))];
}
