/**
 * Recado's one error vocabulary (its own codes, with Meta's Graph errors mapped onto the same names).
 * Domain services throw AppError; the tRPC error formatter and the REST wrapper turn it into a response
 * carrying `code`, a plain-language `message` and structured `details`, with the status `appErrorResponses` gives.
 */
import type { TRPCError } from "@trpc/server";

type TRPCErrorCode = TRPCError["code"];

export const appErrorCodes = [
  // input and access
  "VALIDATION_FAILED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  /** an idempotency key (e.g. a purchase order's number) reused with different content */
  "IDEMPOTENCY_CONFLICT",
  /** the change is allowed but risky: repeat it with the warnings acknowledged */
  "CONFIRMATION_REQUIRED",
  // sending policy
  "WHATSAPP_NOT_ENABLED",
  "NO_PHONE_NUMBER_ASSIGNED",
  "INVALID_PHONE_FORMAT",
  "CONTACT_NOT_OPTED_IN",
  "CONVERSATION_EXPIRED",
  "TEMPLATE_NOT_FOUND",
  "TEMPLATE_NOT_APPROVED",
  "TEMPLATE_PARAMS_MISMATCH",
  /** the contact asked Meta to stop marketing messages (131050 or user_preferences "stop"): utility still goes */
  "MARKETING_OPTED_OUT",
  /** the bakery's monthly spend cap, set by the admin, is reached */
  "SPEND_CAP_REACHED",
  /** the bakery's share of the shared account's business-initiated conversations for the day is used up */
  "PORTFOLIO_SHARE_EXCEEDED",
  /** the number's quality dropped after this bakery's marketing broadcast: marketing waits for an admin's review */
  "QUALITY_GUARD_HOLD",
  // Meta's answers, classified
  "RECIPIENT_NOT_ON_WHATSAPP",
  "RATE_LIMIT_EXCEEDED",
  /** 131049: Meta limited marketing messages to this person today (retried once after 24 h) */
  "MARKETING_LIMITED",
  "TOKEN_EXPIRED",
  "PERMISSION_DENIED",
  "PHONE_NUMBER_NOT_REGISTERED",
  "REGISTRATION_PENDING_PROVISIONING",
  "REGISTRATION_LIMIT_REACHED",
  "META_UNAVAILABLE",
  "META_ERROR",
  "INTERNAL_ERROR",
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

export type AppErrorDetails = Record<string, unknown>;

/** How each code answers a tRPC call and a REST request. */
export const appErrorResponses: Record<AppErrorCode, { trpc: TRPCErrorCode; httpStatus: number }> = {
  VALIDATION_FAILED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", httpStatus: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", httpStatus: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", httpStatus: 404 },
  CONFLICT: { trpc: "CONFLICT", httpStatus: 409 },
  IDEMPOTENCY_CONFLICT: { trpc: "CONFLICT", httpStatus: 409 },
  CONFIRMATION_REQUIRED: { trpc: "PRECONDITION_FAILED", httpStatus: 412 },
  WHATSAPP_NOT_ENABLED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  NO_PHONE_NUMBER_ASSIGNED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  INVALID_PHONE_FORMAT: { trpc: "BAD_REQUEST", httpStatus: 400 },
  CONTACT_NOT_OPTED_IN: { trpc: "BAD_REQUEST", httpStatus: 400 },
  CONVERSATION_EXPIRED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  TEMPLATE_NOT_FOUND: { trpc: "BAD_REQUEST", httpStatus: 400 },
  TEMPLATE_NOT_APPROVED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  TEMPLATE_PARAMS_MISMATCH: { trpc: "BAD_REQUEST", httpStatus: 400 },
  MARKETING_OPTED_OUT: { trpc: "BAD_REQUEST", httpStatus: 400 },
  SPEND_CAP_REACHED: { trpc: "FORBIDDEN", httpStatus: 403 },
  PORTFOLIO_SHARE_EXCEEDED: { trpc: "TOO_MANY_REQUESTS", httpStatus: 429 },
  QUALITY_GUARD_HOLD: { trpc: "CONFLICT", httpStatus: 409 },
  RECIPIENT_NOT_ON_WHATSAPP: { trpc: "BAD_REQUEST", httpStatus: 400 },
  MARKETING_LIMITED: { trpc: "TOO_MANY_REQUESTS", httpStatus: 429 },
  RATE_LIMIT_EXCEEDED: { trpc: "TOO_MANY_REQUESTS", httpStatus: 429 },
  TOKEN_EXPIRED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  PERMISSION_DENIED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  PHONE_NUMBER_NOT_REGISTERED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  REGISTRATION_PENDING_PROVISIONING: { trpc: "BAD_REQUEST", httpStatus: 400 },
  REGISTRATION_LIMIT_REACHED: { trpc: "BAD_REQUEST", httpStatus: 400 },
  META_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", httpStatus: 503 },
  META_ERROR: { trpc: "BAD_REQUEST", httpStatus: 400 },
  INTERNAL_ERROR: { trpc: "INTERNAL_SERVER_ERROR", httpStatus: 500 },
};

/**
 * Meta's own code and subcode behind an error, when Meta answered
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
export type MetaCodes = { metaCode?: number; metaSubcode?: number };

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails;
  /** Meta's error code, when this error is (or was caused by) Meta's answer: set once, where Meta's answer is read */
  readonly metaCode?: number;
  readonly metaSubcode?: number;

  /** Without explicit Meta codes, an error caused by another AppError carries that error's Meta codes. */
  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}, options: { cause?: unknown } & MetaCodes = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    const fromCause = options.cause instanceof AppError ? options.cause : undefined;
    this.metaCode = options.metaCode ?? fromCause?.metaCode;
    this.metaSubcode = options.metaSubcode ?? fromCause?.metaSubcode;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
