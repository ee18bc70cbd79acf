/**
 * tRPC context and procedures. Who the caller is comes only from the session (or, later, an API key): the
 * tenant a procedure acts on is `ctx.tenantId`, never an input field.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Db } from "@/server/db";
import { appErrorResponses, isAppError } from "@/server/errors";
import type { SimulatedSignupPopup } from "@/server/signup/simulated-popup";
import { activeSessionUser } from "@/server/auth/session-user";
import { assertStorableText, knownDatabaseError, reportUnexpected } from "@/server/api/error-policy";

/** `simulatedSignupPopup`: handed in by the wiring in local mode only (src/server/wiring). */
export type TRPCContext = { db: Db; session: Session | null; simulatedSignupPopup?: SimulatedSignupPopup | null };

export function createTRPCContext({ db, session, simulatedSignupPopup = null }: TRPCContext): TRPCContext {
  return { db, session, simulatedSignupPopup };
}

const primitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

/**
 * Each zod issue's facts as plain data (no input value, no nested issues), so the browser can word it in the
 * reader's language (src/components/ui/error-message.ts); `message` stays the English text written for it.
 */
export function publicIssues(error: ZodError) {
  return error.issues.map((issue) => {
    const facts = issue as unknown as Record<string, unknown>;
    const number = (v: unknown) => (typeof v === "number" || typeof v === "bigint" ? Number(v) : undefined);
    const string = (v: unknown) => (typeof v === "string" ? v : undefined);
    const values = Array.isArray(facts.values) ? facts.values.filter(primitive).slice(0, 20) : undefined;
    const keys = Array.isArray(facts.keys) ? facts.keys.filter((k) => typeof k === "string").slice(0, 20) : undefined;
    return {
      path: issue.path.map(String).join("."),
      code: issue.code,
      message: issue.message,
      expected: string(facts.expected),
      minimum: number(facts.minimum),
      maximum: number(facts.maximum),
      inclusive: typeof facts.inclusive === "boolean" ? facts.inclusive : undefined,
      origin: string(facts.origin),
      format: string(facts.format),
      values: values as (string | number | boolean | null)[] | undefined,
      keys: keys as string[] | undefined,
    };
  });
}

/** Field-level messages from a zod error, keyed by dotted path ("" for the input as a whole). */
export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  // src/server/api/error-policy.ts: only text written for the user leaves the server
  errorFormatter({ shape, error, path }) {
    const cause = error.cause;
    const zodError = cause instanceof ZodError ? cause : null;
    // stack traces stay on the server
    const { stack: _stack, ...data } = shape.data;
    let message = shape.message;
    let reference: string | null = null;
    if (zodError) {
      // tRPC's default message for bad input is the raw issue JSON; name the fields instead.
      message = `Invalid input: ${zodError.issues.map((i) => `${i.path.join(".") || "input"} — ${i.message}`).join("; ")}`;
    } else if (error.code === "INTERNAL_SERVER_ERROR" && !isAppError(cause)) {
      ({ reference, message } = reportUnexpected(`tRPC ${path ?? "?"}`, cause ?? error));
    }
    return {
      ...shape,
      message,
      data: {
        ...data,
        fieldErrors: zodError ? fieldErrorsOf(zodError) : null,
        issues: zodError ? publicIssues(zodError) : null,
        appCode: isAppError(cause) ? cause.code : zodError ? "VALIDATION_FAILED" : reference ? "INTERNAL_ERROR" : null,
        details: isAppError(cause) ? cause.details : null,
        reference,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Domain services throw AppError; turn it into the matching tRPC code, keeping code and details. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = isAppError(result.error.cause) ? result.error.cause : knownDatabaseError(result.error.cause);
    if (cause) throw new TRPCError({ code: appErrorResponses[cause.code].trpc, message: cause.message, cause });
  }
  return result;
});

/** Text Postgres cannot store (a NUL byte) is refused naming the field, before any procedure sees it. */
const storableText = t.middleware(async ({ getRawInput, next }) => {
  assertStorableText(await getRawInput());
  return next();
});

export const publicProcedure = t.procedure.use(appErrors).use(storableText);

/** Signed in. The user is re-read from the database on every call: a deleted user or changed role counts now. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const sessionUser = ctx.session?.user;
  if (!sessionUser?.id) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  // an ended session (sign-out, password change, "sign out everywhere") is refused even from a copied cookie
  const user = await activeSessionUser(ctx.db, sessionUser);
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended. Sign in again." });
  return next({ ctx: { ...ctx, user } });
});

/** A bakery owner acting on their own bakery; `ctx.tenantId` comes from the database row of the session user. */
export const tenantProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "TENANT_OWNER" || !ctx.user.tenantId) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This is available to bakery owners only." });
  }
  return next({ ctx: { ...ctx, tenantId: ctx.user.tenantId } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "PLATFORM_ADMIN") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This is available to platform admins only." });
  }
  return next({ ctx });
});

export { z };
