/**
 * Recado's one error vocabulary (seed 004's codes, with Meta's Graph errors mapped onto the same names).
 * Domain services throw AppError; the tRPC error formatter and the REST wrapper turn it into a response
 * carrying `code`, a plain-language `message` and structured `details`.
 */
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
  // sending policy (seed 004)
  "WHATSAPP_NOT_ENABLED",
  "NO_PHONE_NUMBER_ASSIGNED",
  "INVALID_PHONE_FORMAT",
  "CONTACT_NOT_OPTED_IN",
  "CONVERSATION_EXPIRED",
  "TEMPLATE_NOT_FOUND",
  "TEMPLATE_NOT_APPROVED",
  "TEMPLATE_PARAMS_MISMATCH",
  // Meta's answers, classified
  "RECIPIENT_NOT_ON_WHATSAPP",
  "RATE_LIMIT_EXCEEDED",
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

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails;

  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
