/**
 * One error policy for the tRPC and REST layers: an answer carries only text written for the user. Domain
 * errors (AppError) keep their code, message and details; a record that does not exist is 404 NOT_FOUND
 * naming what was not found; text Postgres cannot store (a NUL byte) is refused as 400 naming the field before
 * it reaches the database; anything else is logged with a reference id, and the answer shows only that id.
 */
import { randomBytes } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { AppError } from "@/server/errors";

/** "Alert" → "alert", "PhoneNumber" → "phone number". */
function recordName(model: unknown) {
  return typeof model === "string" && model ? model.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase() : "record";
}

/** Prisma's "not found" and constraint errors say something true about the input: map them to our vocabulary. */
export function knownDatabaseError(error: unknown): AppError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const meta = (error.meta ?? {}) as Record<string, unknown>;
  const model = recordName(meta.modelName);
  switch (error.code) {
    case "P2025":
    case "P2001":
      return new AppError("NOT_FOUND", `No ${model} with that id.`, {}, { cause: error });
    case "P2003":
      return new AppError("NOT_FOUND", `Something this ${model} refers to does not exist (check the ids you sent).`, {}, { cause: error });
    case "P2002":
      return new AppError("CONFLICT", `A ${model} with the same values already exists.`, {}, { cause: error });
    default:
      return null;
  }
}

/** Logs an unexpected error with a new reference id; the answer shows the id, never the error. */
export function reportUnexpected(where: string, error: unknown): { reference: string; message: string } {
  const reference = randomBytes(6).toString("hex");
  console.error(`[error ${reference}] ${where}:`, error);
  return { reference, message: `Something went wrong on our side. If it happens again, tell us the reference ${reference}.` };
}

/** Characters Postgres cannot keep in a text column: the NUL byte (its text type rejects \0). */
const unstorable = /\u0000/;

/** The dotted path of the first string in `value` that Postgres cannot store, or null. */
export function unstorableTextField(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return unstorable.test(value) ? path.join(".") || "input" : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableTextField(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (unstorable.test(key)) return [...path, key].join(".");
      const found = unstorableTextField(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

export function unstorableTextError(field: string) {
  const message = `Invalid input: ${field} — contains a NUL character (\\0), which cannot be stored. Remove it and try again.`;
  return new AppError("VALIDATION_FAILED", message, { field });
}

/** Throws VALIDATION_FAILED naming the field when `value` holds text Postgres cannot store. */
export function assertStorableText(value: unknown, path: string[] = []) {
  const field = unstorableTextField(value, path);
  if (field) throw unstorableTextError(field);
}
