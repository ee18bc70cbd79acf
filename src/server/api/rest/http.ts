/**
 * REST plumbing for scripts and curl (dub's "one wrapper" idea): resolve who is calling (an admin session or
 * the admin API token), run the handler, and turn AppError / zod errors into JSON with a status, a code, a
 * plain message and details. Handlers call the same domain services as the tRPC procedures.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Session } from "next-auth";
import { ZodError, type z } from "zod";
import type { Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError, appErrorResponses, isAppError } from "@/server/errors";
import { fieldErrorsOf } from "@/server/api/trpc";
import { activeSessionUser } from "@/server/auth/session-user";
import { assertStorableText, knownDatabaseError, reportUnexpected, unstorableTextError } from "@/server/api/error-policy";

export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    return Response.json(
      {
        success: false,
        error: {
          code: "VALIDATION_FAILED",
          message: `Invalid input: ${error.issues.map((i) => `${i.path.join(".") || "body"} — ${i.message}`).join("; ")}`,
          details: { fieldErrors: fieldErrorsOf(error) },
        },
      },
      { status: 400 },
    );
  }
  const known = isAppError(error) ? error : knownDatabaseError(error);
  if (known) {
    return Response.json(
      { success: false, error: { code: known.code, message: known.message, details: known.details } },
      { status: appErrorResponses[known.code].httpStatus, headers: noStore },
    );
  }
  // src/server/api/error-policy.ts: logged with a reference id; the answer carries only the id
  const { reference, message } = reportUnexpected("REST", error);
  return Response.json(
    { success: false, error: { code: "INTERNAL_ERROR", message, details: { reference } } },
    { status: 500, headers: noStore },
  );
}

const noStore = { "Cache-Control": "no-store" };

/** Path and query parameters with text Postgres cannot store are refused (400 naming the parameter). */
export function assertStorableRequest(req: Request, params: Record<string, string> = {}) {
  const url = new URL(req.url);
  assertStorableText(Object.fromEntries(url.searchParams), []);
  assertStorableText(params, []);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    throw new AppError("VALIDATION_FAILED", "The request path is not valid percent-encoding.", { field: "path" });
  }
  if (path.includes("\u0000")) throw unstorableTextError("path");
}

function sameSecret(a: string, b: string) {
  // hash first so the comparison is constant-time whatever the lengths
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** An admin: the bearer token ADMIN_API_TOKEN, or the session of a user who is PLATFORM_ADMIN in the database. */
export async function resolveAdminActor({
  db,
  authorization,
  session,
  adminApiToken,
}: {
  db: Db;
  authorization: string | null;
  session: Session | null;
  adminApiToken: string | undefined;
}): Promise<Actor> {
  if (authorization) {
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    if (!token || !adminApiToken || !sameSecret(token, adminApiToken)) {
      throw new AppError("UNAUTHORIZED", "Invalid API token. Send `Authorization: Bearer <ADMIN_API_TOKEN>` or sign in as an admin.");
    }
    return { userId: null, label: "admin-api-token" };
  }
  if (!session?.user?.id)
    throw new AppError("UNAUTHORIZED", "Sign in as a platform admin or send `Authorization: Bearer <ADMIN_API_TOKEN>`.");
  const user = await activeSessionUser(db, session.user);
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (user.role !== "PLATFORM_ADMIN") throw new AppError("FORBIDDEN", "This API is available to platform admins only.");
  return { userId: user.id, label: user.email };
}

export async function parseJsonBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("VALIDATION_FAILED", 'The request body must be JSON, e.g. {"phone_number_id": "106540352242922"}.', {
      field: "body",
    });
  }
  assertStorableText(body);
  return schema.parse(body);
}
