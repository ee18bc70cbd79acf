import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import {
  GraphApiError,
  classifyGraphError,
  pairRateRetryMs,
  regainAccessMinutesFrom,
  type GraphErrorFacts,
  type GraphErrorKind,
} from "@/server/whatsapp/errors";

const table: [string, GraphErrorFacts, GraphErrorKind, string, number | undefined][] = [
  // sending
  ["recipient not on WhatsApp", { httpStatus: 400, code: 131026 }, "permanent", "RECIPIENT_NOT_ON_WHATSAPP", undefined],
  ["24 h window closed", { httpStatus: 400, code: 131047 }, "permanent", "CONVERSATION_EXPIRED", undefined],
  ["template missing in language", { httpStatus: 400, code: 132001 }, "permanent", "TEMPLATE_NOT_FOUND", undefined],
  ["template paused", { httpStatus: 400, code: 132015 }, "permanent", "TEMPLATE_NOT_APPROVED", undefined],
  ["template disabled", { httpStatus: 400, code: 132016 }, "permanent", "TEMPLATE_NOT_APPROVED", undefined],
  ["parameter count", { httpStatus: 400, code: 132000 }, "permanent", "TEMPLATE_PARAMS_MISMATCH", undefined],
  ["parameter validation (v23+)", { httpStatus: 400, code: 132018 }, "permanent", "TEMPLATE_PARAMS_MISMATCH", undefined],
  // throttling
  ["throughput", { httpStatus: 400, code: 130429 }, "throttled", "RATE_LIMIT_EXCEEDED", 1000],
  ["pair rate", { httpStatus: 400, code: 131056 }, "throttled", "RATE_LIMIT_EXCEEDED", 1000],
  ["app call limit", { httpStatus: 429, code: 4 }, "throttled", "RATE_LIMIT_EXCEEDED", 300_000],
  ["WABA limit", { httpStatus: 429, code: 80007 }, "throttled", "RATE_LIMIT_EXCEEDED", 300_000],
  ["WABA limit with usage header", { httpStatus: 429, code: 80008, regainAccessMinutes: 12 }, "throttled", "RATE_LIMIT_EXCEEDED", 720_000],
  ["spam rate limit", { httpStatus: 400, code: 131048 }, "throttled", "RATE_LIMIT_EXCEEDED", 3_600_000],
  ["bare 429", { httpStatus: 429 }, "throttled", "RATE_LIMIT_EXCEEDED", 60_000],
  // auth and permissions
  ["expired token", { httpStatus: 401, code: 190, subcode: 463 }, "auth", "TOKEN_EXPIRED", undefined],
  ["invalid token", { httpStatus: 401, code: 190 }, "auth", "TOKEN_EXPIRED", undefined],
  ["auth exception", { httpStatus: 401, code: 0 }, "auth", "TOKEN_EXPIRED", undefined],
  ["no token", { httpStatus: 401, code: 104 }, "auth", "TOKEN_EXPIRED", undefined],
  ["permission not granted", { httpStatus: 403, code: 10 }, "auth", "PERMISSION_DENIED", undefined],
  ["capability", { httpStatus: 400, code: 3 }, "auth", "PERMISSION_DENIED", undefined],
  ["permissions error 200", { httpStatus: 403, code: 200 }, "auth", "PERMISSION_DENIED", undefined],
  ["permission range 2xx", { httpStatus: 403, code: 294 }, "auth", "PERMISSION_DENIED", undefined],
  // registration
  ["not registered", { httpStatus: 400, code: 133010 }, "permanent", "PHONE_NUMBER_NOT_REGISTERED", undefined],
  ["provisioning pending", { httpStatus: 400, code: 100, subcode: 2388001 }, "permanent", "REGISTRATION_PENDING_PROVISIONING", undefined],
  ["display name not approved (555)", { httpStatus: 400, code: 131037 }, "permanent", "REGISTRATION_PENDING_PROVISIONING", undefined],
  ["register limit", { httpStatus: 400, code: 133016 }, "throttled", "REGISTRATION_LIMIT_REACHED", 72 * 3_600_000],
  ["wrong PIN", { httpStatus: 400, code: 133005 }, "permanent", "META_ERROR", undefined],
  // Meta-side failures
  ["service unavailable", { httpStatus: 503, code: 2 }, "retryable", "META_UNAVAILABLE", undefined],
  ["unknown error", { httpStatus: 500, code: 131000 }, "retryable", "META_UNAVAILABLE", undefined],
  ["temporarily unavailable", { httpStatus: 400, code: 131016 }, "retryable", "META_UNAVAILABLE", undefined],
  ["maintenance mode", { httpStatus: 400, code: 131057 }, "retryable", "META_UNAVAILABLE", 60_000],
  ["code 1 as server error", { httpStatus: 500, code: 1 }, "retryable", "META_UNAVAILABLE", undefined],
  ["code 1 as bad request", { httpStatus: 400, code: 1 }, "permanent", "META_ERROR", undefined],
  ["transient flag", { httpStatus: 400, code: 99999, isTransient: true }, "retryable", "META_UNAVAILABLE", undefined],
  ["bare 502", { httpStatus: 502 }, "retryable", "META_UNAVAILABLE", undefined],
  ["timeout", { transport: "timeout" }, "retryable", "META_UNAVAILABLE", undefined],
  ["connection refused", { transport: "connect" }, "retryable", "META_UNAVAILABLE", undefined],
  // everything else
  ["template name exists", { httpStatus: 400, code: 100, subcode: 2388024 }, "permanent", "META_ERROR", undefined],
  ["invalid parameter", { httpStatus: 400, code: 100 }, "permanent", "META_ERROR", undefined],
  ["user opted out of marketing", { httpStatus: 400, code: 131050 }, "permanent", "MARKETING_OPTED_OUT", undefined],
  ["marketing limited for this user today", { httpStatus: 400, code: 131049 }, "permanent", "MARKETING_LIMITED", undefined],
];

describe("classifyGraphError", () => {
  it.each(table)("%s", (_name, facts, kind, appCode, retryAfterMs) => {
    const result = classifyGraphError(facts);
    expect(result).toEqual({ kind, appCode, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  });
});

describe("pairRateRetryMs", () => {
  it("follows Meta's 4^X seconds schedule", () => {
    expect([0, 1, 2, 3].map(pairRateRetryMs)).toEqual([1000, 4000, 16_000, 64_000]);
  });
});

describe("regainAccessMinutesFrom", () => {
  it("reads the longest estimated_time_to_regain_access from X-Business-Use-Case-Usage", () => {
    const header = JSON.stringify({
      "102290129340398": [
        { type: "whatsapp_business_management", call_count: 100, estimated_time_to_regain_access: 3 },
        { type: "whatsapp", call_count: 95, estimated_time_to_regain_access: 7 },
      ],
    });
    expect(regainAccessMinutesFrom(header)).toBe(7);
    expect(regainAccessMinutesFrom('{"1":[{"call_count":10}]}')).toBeUndefined();
    expect(regainAccessMinutesFrom("not json")).toBeUndefined();
    expect(regainAccessMinutesFrom(null)).toBeUndefined();
  });
});

describe("GraphApiError", () => {
  it("is an AppError with Recado's code, Meta's facts and a plain message", () => {
    const error = new GraphApiError({
      operation: "POST /106540352242922/messages",
      attempts: 1,
      outcome: "rejected",
      httpStatus: 400,
      code: 131047,
      metaMessage: "(#131047) Re-engagement message",
      metaDetails: "More than 24 hours have passed.",
      fbtraceId: "Abc123",
    });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("CONVERSATION_EXPIRED");
    expect(error.kind).toBe("permanent");
    expect(error.metaCode).toBe(131047);
    expect(error.fbtraceId).toBe("Abc123");
    expect(error.message).toContain("24-hour customer service window");
    expect(error.message).toContain("POST /106540352242922/messages: #131047");
    expect(error.details).toMatchObject({ metaCode: 131047, kind: "permanent", fbtraceId: "Abc123", outcome: "rejected" });
  });
});
