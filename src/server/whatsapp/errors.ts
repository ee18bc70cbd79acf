/**
 * Meta's Graph errors, classified (Meta: graph-api/guides/error-handling, support/error-codes): what kind of failure it is (may we retry,
 * wait, must a human fix credentials, or must the request change) and which of Recado's error codes it maps to.
 * Keys on `code` (+ `error_subcode`), never on titles, which Meta is deprecating.
 */
import { AppError, type AppErrorCode } from "@/server/errors";

/**
 * - retryable: a transient fault on Meta's side (or the network); the same request may succeed after a short
 *   backoff.
 * - throttled: a limit was hit; the same request succeeds after waiting about `retryAfterMs`.
 * - auth: the token is expired/invalid or lacks a permission; a person must re-authorize. Never retried.
 * - permanent: repeating the same request now will not help; the request or the account state must change.
 *   (The domain may still retry later on specific codes, e.g. REGISTRATION_PENDING_PROVISIONING.)
 */
export type GraphErrorKind = "retryable" | "throttled" | "auth" | "permanent";

/** How a request failed before Meta answered: `connect` = the connection was never made, so Meta saw nothing. */
export type TransportFailure = "timeout" | "network" | "connect";

export type GraphErrorFacts = {
  httpStatus?: number;
  code?: number;
  subcode?: number;
  isTransient?: boolean;
  transport?: TransportFailure;
  /** `estimated_time_to_regain_access` (minutes) from the X-Business-Use-Case-Usage header (Meta: graph-api/overview/rate-limiting) */
  regainAccessMinutes?: number;
};

export type GraphErrorClassification = { kind: GraphErrorKind; appCode: AppErrorCode; retryAfterMs?: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The two limits Meta answers a send with that mean "too fast", not "no": the number's throughput (130429,
 * (Meta: throughput) and the pair rate to one
 * recipient (131056). Both classify as RATE_LIMIT_EXCEEDED; callers that pace or back off tell them apart by these.
 */
export const metaThrottleCodes = { throughput: 130429, pairRate: 131056 } as const;

type Rule = Omit<GraphErrorClassification, "retryAfterMs"> & { retryAfterMs?: number };

const permanent = (appCode: AppErrorCode): Rule => ({ kind: "permanent", appCode });
const auth = (appCode: AppErrorCode): Rule => ({ kind: "auth", appCode });
const retryable = (retryAfterMs?: number): Rule => ({ kind: "retryable", appCode: "META_UNAVAILABLE", retryAfterMs });
const throttled = (retryAfterMs: number, appCode: AppErrorCode = "RATE_LIMIT_EXCEEDED"): Rule => ({
  kind: "throttled",
  appCode,
  retryAfterMs,
});

const rulesByCode: Record<number, Rule> = {
  // Meta: support/error-codes auth: the token is expired, invalidated or missing.
  0: auth("TOKEN_EXPIRED"),
  102: auth("TOKEN_EXPIRED"),
  104: auth("TOKEN_EXPIRED"),
  190: auth("TOKEN_EXPIRED"),
  // Meta: support/error-codes permissions (3, 10, 200–299 are handled below) and WhatsApp's own "access denied".
  3: auth("PERMISSION_DENIED"),
  10: auth("PERMISSION_DENIED"),
  131005: auth("PERMISSION_DENIED"),

  // Meta: support/error-codes throttling. Graph-level app/user/account limits recover over minutes (the usage header says how long).
  4: throttled(5 * MINUTE),
  17: throttled(5 * MINUTE),
  32: throttled(5 * MINUTE),
  613: throttled(5 * MINUTE),
  80007: throttled(5 * MINUTE),
  // Graph's rate-limiting page lists 80008 for the WhatsApp Business Management API; handle both.
  80008: throttled(5 * MINUTE),
  // Throughput is a sliding one-second window (Meta: throughput): back off about a second.
  [metaThrottleCodes.throughput]: throttled(SECOND),
  // Pair rate limit (Meta: about-the-platform): Meta says retry after 4^X seconds, X = 0, 1, 2, ...; see pairRateRetryMs.
  [metaThrottleCodes.pairRate]: throttled(SECOND),
  // Spam rate limit: not a short-term condition.
  131048: throttled(HOUR),
  // 10 register/deregister calls per 72 h, then the number is blocked for 72 h (Meta: business-phone-numbers/registration).
  133016: throttled(72 * HOUR, "REGISTRATION_LIMIT_REACHED"),

  // Transient failures Meta tells us to retry (Meta: support/error-codes, graph-api/guides/error-handling).
  2: retryable(),
  131000: retryable(),
  131016: retryable(),
  133004: retryable(),
  // Maintenance (throughput upgrade, migration) lasts about a minute.
  131057: retryable(MINUTE),
  2494100: retryable(MINUTE),

  // Sending (Meta: support/error-codes).
  131026: permanent("RECIPIENT_NOT_ON_WHATSAPP"),
  // Marketing limits (Meta: support/error-codes): 131049 "not delivered to maintain healthy ecosystem engagement"
  // (do not resend to that user within 24 h), 131050 the user stopped marketing messages.
  131049: permanent("MARKETING_LIMITED"),
  131050: permanent("MARKETING_OPTED_OUT"),
  131047: permanent("CONVERSATION_EXPIRED"),
  // "doesn't exist in that language or isn't approved": Meta does not say which, and a wrong name is the usual cause.
  132001: permanent("TEMPLATE_NOT_FOUND"),
  132015: permanent("TEMPLATE_NOT_APPROVED"),
  132016: permanent("TEMPLATE_NOT_APPROVED"),
  132000: permanent("TEMPLATE_PARAMS_MISMATCH"),
  132012: permanent("TEMPLATE_PARAMS_MISMATCH"),
  132018: permanent("TEMPLATE_PARAMS_MISMATCH"),

  // Registration (Meta: business-phone-numbers/registration, support/error-codes).
  133010: permanent("PHONE_NUMBER_NOT_REGISTERED"),
  131045: permanent("PHONE_NUMBER_NOT_REGISTERED"),
  // A number without an approved display name cannot send yet: provisioning has not finished.
  131037: permanent("REGISTRATION_PENDING_PROVISIONING"),
};

const rulesBySubcode: Record<number, Rule> = {
  // 100/2388001 "Cannot Create Certificate": the display name is still being processed (Meta: support/error-codes).
  2388001: permanent("REGISTRATION_PENDING_PROVISIONING"),
};

/** Pure: the kind, Recado's code and a wait hint for a Graph failure. */
export function classifyGraphError(facts: GraphErrorFacts): GraphErrorClassification {
  if (facts.transport) return { kind: "retryable", appCode: "META_UNAVAILABLE" };

  const rule =
    (facts.subcode !== undefined ? rulesBySubcode[facts.subcode] : undefined) ??
    (facts.code !== undefined ? rulesByCode[facts.code] : undefined) ??
    (facts.code !== undefined && facts.code >= 200 && facts.code <= 299 ? auth("PERMISSION_DENIED") : undefined) ??
    // Code 1 means "invalid request or possible server error": only the server-error reading is worth a retry.
    ((facts.httpStatus ?? 0) >= 500 || facts.isTransient ? retryable() : undefined) ??
    (facts.httpStatus === 429 ? throttled(MINUTE) : undefined) ??
    permanent("META_ERROR");

  const regainMs =
    facts.regainAccessMinutes !== undefined && facts.regainAccessMinutes > 0 ? facts.regainAccessMinutes * MINUTE : undefined;
  const retryAfterMs = rule.kind === "throttled" && regainMs !== undefined ? regainMs : rule.retryAfterMs;
  return { kind: rule.kind, appCode: rule.appCode, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Meta: about-the-platform: after the Xth consecutive 131056 (X = 0, 1, 2, ...) wait 4^X seconds. */
export function pairRateRetryMs(attempt: number): number {
  return 4 ** Math.max(0, attempt) * SECOND;
}

/** The longest `estimated_time_to_regain_access` (minutes) in an X-Business-Use-Case-Usage header, if any. */
export function regainAccessMinutesFrom(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  try {
    const usage = JSON.parse(header) as Record<string, { estimated_time_to_regain_access?: unknown }[]>;
    const minutes = Object.values(usage)
      .flat()
      .map((u) => Number(u?.estimated_time_to_regain_access))
      .filter((m) => Number.isFinite(m) && m > 0);
    return minutes.length > 0 ? Math.max(...minutes) : undefined;
  } catch {
    return undefined;
  }
}

const plainMessages: Partial<Record<AppErrorCode, string>> = {
  RECIPIENT_NOT_ON_WHATSAPP:
    "The recipient cannot receive WhatsApp messages (not a WhatsApp user, terms not accepted, or an outdated app).",
  CONVERSATION_EXPIRED: "The 24-hour customer service window is closed: only an approved template can be sent to this contact now.",
  RATE_LIMIT_EXCEEDED: "Meta's rate limit was reached; wait before trying again.",
  TOKEN_EXPIRED: "The Meta access token is expired, revoked or invalid; the account must be re-authorized.",
  PERMISSION_DENIED: "The Meta access token lacks permission for this WhatsApp account or action.",
  TEMPLATE_NOT_FOUND: "Meta has no approved template with that name in that language.",
  TEMPLATE_NOT_APPROVED: "The template is paused or disabled by Meta and cannot be sent.",
  TEMPLATE_PARAMS_MISMATCH: "The template parameters do not match the template's placeholders.",
  PHONE_NUMBER_NOT_REGISTERED: "The phone number is not registered on the WhatsApp Cloud API.",
  REGISTRATION_PENDING_PROVISIONING:
    "Meta has not finished provisioning the number (display name review); registration has to be retried later.",
  REGISTRATION_LIMIT_REACHED: "Too many register/deregister calls for this number (10 per 72 hours); Meta blocks it for 72 hours.",
  META_UNAVAILABLE: "Meta's API is unavailable or did not answer in time.",
  META_ERROR: "Meta rejected the request.",
};

export type GraphApiErrorInit = GraphErrorFacts & {
  /** "METHOD /path" without query string (which may carry secrets such as debug_token's input_token) */
  operation: string;
  attempts: number;
  /**
   * rejected: Meta (or the network before connecting) refused the request, nothing happened.
   * unknown: no answer (timeout, dropped connection, gateway 5xx); a send may or may not have gone out.
   */
  outcome: "rejected" | "unknown";
  metaType?: string;
  metaMessage?: string;
  metaDetails?: string;
  userTitle?: string;
  userMessage?: string;
  fbtraceId?: string;
  /** for responses that did not match the expected shape */
  parseIssues?: string;
};

/**
 * A failed Graph call, as one of Recado's AppErrors, with Meta's code and subcode on the error itself (`metaCode`,
 * `metaSubcode`). Carries no token and no URL query string.
 */
export class GraphApiError extends AppError {
  readonly kind: GraphErrorKind;
  /** how the request failed before Meta answered, if it did */
  readonly transport?: TransportFailure;
  /** Meta's own explanation (`error.message`), for our logs and the message row; never shown as it is */
  readonly metaMessage?: string;
  readonly fbtraceId?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly operation: string;
  readonly attempts: number;
  readonly outcome: "rejected" | "unknown";

  constructor(init: GraphApiErrorInit, classification: GraphErrorClassification = classifyGraphError(init)) {
    const { kind, appCode, retryAfterMs } = classification;
    const reference =
      init.code !== undefined
        ? `#${init.code}${init.subcode !== undefined ? `/${init.subcode}` : ""}`
        : init.transport
          ? init.transport
          : `HTTP ${init.httpStatus ?? "?"}`;
    const explanation = [init.metaMessage, init.metaDetails, init.userMessage, init.parseIssues].filter(Boolean).join(" — ");
    super(
      appCode,
      `${plainMessages[appCode] ?? "Meta rejected the request."} (${init.operation}: ${reference}${explanation ? ` ${explanation}` : ""})`,
      {
        kind,
        operation: init.operation,
        attempts: init.attempts,
        outcome: init.outcome,
        ...(init.httpStatus !== undefined ? { httpStatus: init.httpStatus } : {}),
        ...(init.code !== undefined ? { metaCode: init.code } : {}),
        ...(init.subcode !== undefined ? { metaSubcode: init.subcode } : {}),
        ...(init.metaType ? { metaType: init.metaType } : {}),
        ...(init.metaMessage ? { metaMessage: init.metaMessage } : {}),
        ...(init.metaDetails ? { metaDetails: init.metaDetails } : {}),
        ...(init.userTitle ? { userTitle: init.userTitle } : {}),
        ...(init.userMessage ? { userMessage: init.userMessage } : {}),
        ...(init.fbtraceId ? { fbtraceId: init.fbtraceId } : {}),
        ...(init.transport ? { transport: init.transport } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
      { metaCode: init.code, metaSubcode: init.subcode },
    );
    this.name = "GraphApiError";
    this.kind = kind;
    this.transport = init.transport;
    this.metaMessage = init.metaMessage;
    this.fbtraceId = init.fbtraceId;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = retryAfterMs;
    this.operation = init.operation;
    this.attempts = init.attempts;
    this.outcome = init.outcome;
  }
}

export function isGraphApiError(error: unknown): error is GraphApiError {
  return error instanceof GraphApiError;
}
