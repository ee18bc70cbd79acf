/**
 * An error in the reader's language. The server keeps Recado's error codes and English messages (REST clients and
 * logs read those); the tRPC error formatter (src/server/api/trpc.ts) adds the code, the details and, for bad
 * input, each zod issue's structured facts. Here they become a line from messages/<locale>/errors.json:
 *
 * - a known code with details that say which case it is (a contact not found, a number held by another bakery)
 *   gets that case's sentence with the details filled in, in every language;
 * - bad input gets "field: what was expected" per issue, with the field's name translated where we have it;
 * - otherwise English readers get the server's own message (written for users) and the others the code's line;
 * - an unexpected error shows its reference; an unknown code, a failed connection or anything else gets a
 *   translated generic line. A raw code is never shown.
 *
 * Pure (no React, no server code): `useErrorMessage()` (client) and `getErrorMessage()` (server) wrap it.
 */
import type { AppErrorCode } from "@/server/errors";

/** What the tRPC error formatter sends for each zod issue (src/server/api/trpc.ts, `publicIssues`). */
export type PublicIssue = {
  path: string;
  code: string;
  message?: string;
  expected?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  origin?: string;
  format?: string;
  values?: (string | number | boolean | null)[];
  keys?: string[];
};

export type ErrorFacts = {
  appCode: string | null;
  trpcCode: string | null;
  message: string;
  details: Record<string, unknown>;
  issues: PublicIssue[];
  reference: string | null;
  network: boolean;
};

/** A translator as next-intl gives one for the `errors` namespace (useTranslations / getTranslations). */
export type ErrorTranslator = {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
};

const codePattern = /^[A-Z][A-Z_]*$/;

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** tRPC's own codes for errors that are not Recado's (a refused session, a role check) mapped to ours. */
const fromTrpcCode: Record<string, AppErrorCode> = {
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  BAD_REQUEST: "VALIDATION_FAILED",
  PARSE_ERROR: "VALIDATION_FAILED",
  PRECONDITION_FAILED: "CONFIRMATION_REQUIRED",
  TOO_MANY_REQUESTS: "RATE_LIMIT_EXCEEDED",
  SERVICE_UNAVAILABLE: "META_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_ERROR",
};

/**
 * The facts of any error a page can meet: a TRPCClientError (browser), a TRPCError or AppError (server
 * components calling the API directly), a failed fetch, or anything else.
 */
export function errorFacts(error: unknown): ErrorFacts {
  const e = record(error);
  const message = typeof e.message === "string" ? e.message : "";
  // TRPCClientError: the formatter's data; absent when the request never got an answer
  const data = record(e.data);
  const shapeData = record(record(e.shape).data);
  const source = Object.keys(data).length ? data : shapeData;
  const cause = record(e.cause);
  // an AppError (or a TRPCError caused by one): an upper-case code with details
  const isAppErrorLike = e.name === "AppError" && typeof e.code === "string" && codePattern.test(e.code);
  const causeIsAppError = cause.name === "AppError" && typeof cause.code === "string" && codePattern.test(cause.code);
  const appCode =
    (typeof source.appCode === "string" && source.appCode) ||
    (isAppErrorLike && (e.code as string)) ||
    (causeIsAppError && (cause.code as string)) ||
    null;
  const trpcCode = (typeof source.code === "string" && source.code) || (typeof e.code === "string" && !isAppErrorLike ? e.code : null);
  const details = record(source.details ?? (isAppErrorLike ? e.details : causeIsAppError ? cause.details : null));
  const issues = Array.isArray(source.issues) ? (source.issues as PublicIssue[]) : [];
  const reference = typeof source.reference === "string" ? source.reference : null;
  const isClientError = e.name === "TRPCClientError";
  const network =
    (isClientError && !Object.keys(source).length) || (error instanceof TypeError && /fetch|network|load failed/i.test(message));
  return { appCode, trpcCode, message, details, issues, reference, network };
}

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value : null);
const shown = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : null);

/** Cases of a code told apart by the details the server sends with it: `[variant key, values]` or null. */
function variantOf(code: string, details: Record<string, unknown>): [string, Record<string, string | number>] | null {
  const d = details;
  switch (code) {
    case "NOT_FOUND":
      if ("contact_id" in d || "contactId" in d) return ["NOT_FOUND.contact", {}];
      if ("broadcast_id" in d) return ["NOT_FOUND.broadcast", {}];
      if ("api_key_id" in d) return ["NOT_FOUND.apiKey", {}];
      if ("item_id" in d) return ["NOT_FOUND.webhookItem", {}];
      if ("phoneNumberId" in d || d.field === "phone_number_id") return ["NOT_FOUND.number", {}];
      if (text(d.tenantName)) return ["NOT_FOUND.bakeryWithoutNumber", { bakery: String(d.tenantName) }];
      if ("tenantId" in d) return ["NOT_FOUND.bakery", {}];
      if ("userId" in d) return ["NOT_FOUND.owner", {}];
      return null;
    case "CONFLICT":
      if (text(d.assignedTenantName)) return ["CONFLICT.numberTaken", { bakery: String(d.assignedTenantName) }];
      if (text(d.tenantName) && "currentNumber" in d)
        return ["CONFLICT.bakeryHasNumber", { bakery: String(d.tenantName), number: shown(d.currentNumber) ?? "—" }];
      if ("broadcast_id" in d) return ["CONFLICT.broadcastState", {}];
      if (d.field === "name" && text(d.template_name)) return ["CONFLICT.platformTemplateName", { name: String(d.template_name) }];
      if (d.reason === "different_number") return ["CONFLICT.differentNumber", {}];
      if ("wabaId" in d || "phoneNumberId" in d) return ["CONFLICT.accountTaken", {}];
      if ("tenantId" in d) return ["CONFLICT.assignmentChanged", {}];
      return null;
    case "VALIDATION_FAILED":
      if (d.field === "currentPassword") return ["VALIDATION_FAILED.currentPassword", {}];
      if (d.field === "newPassword") return ["VALIDATION_FAILED.samePassword", {}];
      if (d.field === "audience") return ["VALIDATION_FAILED.emptyAudience", {}];
      if ("found_columns" in d) return ["VALIDATION_FAILED.noPhoneColumn", {}];
      if (d.field === "total" && shown(d.example)) return ["VALIDATION_FAILED.total", { example: shown(d.example)! }];
      if ("item_id" in d && text(d.reason)) return ["VALIDATION_FAILED.stillInvalid", {}];
      return null;
    case "INVALID_PHONE_FORMAT":
      if (shown(d.provided) && shown(d.expected_format))
        return ["INVALID_PHONE_FORMAT.withExample", { provided: shown(d.provided)!, example: shown(d.expected_format)! }];
      return null;
    case "TEMPLATE_NOT_FOUND":
      if (text(d.template_name) && text(d.language))
        return ["TEMPLATE_NOT_FOUND.named", { name: String(d.template_name), language: String(d.language) }];
      return null;
    case "TEMPLATE_NOT_APPROVED":
      if (text(d.template_name)) return ["TEMPLATE_NOT_APPROVED.named", { name: String(d.template_name) }];
      return null;
    case "TEMPLATE_PARAMS_MISMATCH":
      if (typeof d.expected_params === "number" && typeof d.provided_params === "number")
        return ["TEMPLATE_PARAMS_MISMATCH.counted", { expected: d.expected_params, provided: d.provided_params }];
      return null;
    default:
      return null;
  }
}

/** The translated name of an input field ("newPassword" → "new password"), else the path as sent. */
function fieldName(path: string, t: ErrorTranslator) {
  const segments = path.split(".").filter((s) => s && !/^\d+$/.test(s));
  const last = segments.at(-1);
  if (!last) return t("field.input");
  return t.has(`field.${last}`) ? t(`field.${last}`) : last;
}

/** One zod issue as "field: what was expected". */
function issueLine(issue: PublicIssue, t: ErrorTranslator) {
  const field = fieldName(issue.path, t);
  const sized = issue.origin === "string" || issue.origin === "array" || issue.origin === "set" ? issue.origin : "number";
  let problem: string;
  switch (issue.code) {
    case "too_small":
      problem =
        typeof issue.minimum === "number" && issue.minimum <= 1 && issue.origin === "string"
          ? t("issue.required")
          : t(`issue.too_small.${sized === "set" ? "array" : sized}`, { count: issue.minimum ?? 0 });
      break;
    case "too_big":
      problem = t(`issue.too_big.${sized === "set" ? "array" : sized}`, { count: issue.maximum ?? 0 });
      break;
    case "invalid_type":
      problem =
        issue.expected && t.has(`issue.invalid_type.${issue.expected}`)
          ? t(`issue.invalid_type.${issue.expected}`)
          : t("issue.invalid_type.other");
      break;
    case "invalid_value":
      problem = t("issue.invalid_value", { values: (issue.values ?? []).map(String).join(", ") });
      break;
    case "invalid_format":
      problem =
        issue.format && t.has(`issue.invalid_format.${issue.format}`)
          ? t(`issue.invalid_format.${issue.format}`)
          : t("issue.invalid_format.other");
      break;
    case "unrecognized_keys":
      problem = t("issue.unrecognized_keys", { keys: (issue.keys ?? []).join(", ") });
      break;
    default:
      problem = t("issue.other");
  }
  return t("issueLine", { field, problem });
}

/** The line to show for `error` in the reader's language (see the file's comment for the order). */
export function describeError(error: unknown, t: ErrorTranslator, locale: string): string {
  const facts = errorFacts(error);
  if (facts.network) return t("network");
  if (facts.reference) return t("unexpected", { reference: facts.reference });
  const code = facts.appCode ?? (facts.trpcCode ? fromTrpcCode[facts.trpcCode] : undefined) ?? null;
  if (code === "INTERNAL_ERROR") return t("generic");
  if (facts.issues.length > 0) {
    if (locale === "en" && facts.message) return facts.message;
    return t("invalidInput", { problems: facts.issues.map((issue) => issueLine(issue, t)).join("; ") });
  }
  if (code) {
    const variant = variantOf(code, facts.details);
    if (variant && t.has(`variant.${variant[0]}`)) return t(`variant.${variant[0]}`, variant[1]);
    if (locale === "en" && facts.message) return facts.message;
    if (t.has(`code.${code}`)) return t(`code.${code}`);
  } else if (locale === "en" && facts.message && !facts.trpcCode && !(error instanceof TypeError)) {
    // an Error thrown by our own code in the browser (its text is written for users)
    return facts.message;
  }
  return t("generic");
}
