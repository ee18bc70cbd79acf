import { describe, expect, it } from "vitest";
import { registrationDecision, type HealthReading } from "@/server/health/registration-decision";

type Row = [label: string, reading: HealthReading, action: "register" | "skip" | "wait", reason: string];

const verified = { codeVerificationStatus: "VERIFIED" };

// Every combination of code_verification_status × platform_type × throughput.level that matters, plus missing
// fields and failed health checks (the registration rule).
const table: Row[] = [
  [
    "not verified, nothing provisioned",
    { ok: true, codeVerificationStatus: "NOT_VERIFIED", platformType: "NOT_APPLICABLE", throughputLevel: "NOT_APPLICABLE" },
    "register",
    "not_verified",
  ],
  [
    "UNVERIFIED (spec spelling)",
    { ok: true, codeVerificationStatus: "UNVERIFIED", platformType: "NOT_APPLICABLE", throughputLevel: "NOT_APPLICABLE" },
    "register",
    "not_verified",
  ],
  [
    "EXPIRED verification",
    { ok: true, codeVerificationStatus: "EXPIRED", platformType: "CLOUD_API", throughputLevel: "STANDARD" },
    "register",
    "not_verified",
  ],
  [
    "not verified even if it looks provisioned",
    { ok: true, codeVerificationStatus: "NOT_VERIFIED", platformType: "CLOUD_API", throughputLevel: "STANDARD" },
    "register",
    "not_verified",
  ],
  [
    "verified, both NOT_APPLICABLE",
    { ok: true, ...verified, platformType: "NOT_APPLICABLE", throughputLevel: "NOT_APPLICABLE" },
    "register",
    "provisioning_incomplete",
  ],
  [
    "verified, platform NOT_APPLICABLE only",
    { ok: true, ...verified, platformType: "NOT_APPLICABLE", throughputLevel: "STANDARD" },
    "register",
    "provisioning_incomplete",
  ],
  [
    "verified, throughput NOT_APPLICABLE only",
    { ok: true, ...verified, platformType: "CLOUD_API", throughputLevel: "NOT_APPLICABLE" },
    "register",
    "provisioning_incomplete",
  ],
  [
    "verified, platform missing, throughput NOT_APPLICABLE",
    { ok: true, ...verified, throughputLevel: "NOT_APPLICABLE" },
    "register",
    "provisioning_incomplete",
  ],
  [
    "verified, CLOUD_API + STANDARD",
    { ok: true, ...verified, platformType: "CLOUD_API", throughputLevel: "STANDARD" },
    "skip",
    "provisioned",
  ],
  ["verified, CLOUD_API + HIGH", { ok: true, ...verified, platformType: "CLOUD_API", throughputLevel: "HIGH" }, "skip", "provisioned"],
  [
    "verified, ON_PREMISE + STANDARD",
    { ok: true, ...verified, platformType: "ON_PREMISE", throughputLevel: "STANDARD" },
    "skip",
    "provisioned",
  ],
  ["verified, platform missing", { ok: true, ...verified, throughputLevel: "STANDARD" }, "wait", "health_unknown"],
  ["verified, throughput missing", { ok: true, ...verified, platformType: "CLOUD_API" }, "wait", "health_unknown"],
  ["verified, both null", { ok: true, ...verified, platformType: null, throughputLevel: null }, "wait", "health_unknown"],
  ["verification status missing", { ok: true, platformType: "CLOUD_API", throughputLevel: "STANDARD" }, "wait", "health_unknown"],
  ["nothing at all", { ok: true }, "wait", "health_unknown"],
  ["health check failed (token refused)", { ok: false, error: "TOKEN_EXPIRED" }, "wait", "health_unknown"],
  ["health check failed (Meta down)", { ok: false, error: "META_UNAVAILABLE" }, "wait", "health_unknown"],
];

describe("registrationDecision: the full truth table", () => {
  it.each(table)("%s → %s", (_label, reading, action, reason) => {
    const decision = registrationDecision(reading);
    expect(decision.action).toBe(action);
    expect(decision.reason).toBe(reason);
  });

  it("never answers 'skip' unless verified and both provisioning fields are set and not NOT_APPLICABLE", () => {
    const values = [undefined, null, "VERIFIED", "NOT_VERIFIED", "EXPIRED"];
    const platforms = [undefined, null, "CLOUD_API", "ON_PREMISE", "NOT_APPLICABLE"];
    const levels = [undefined, null, "STANDARD", "HIGH", "NOT_APPLICABLE"];
    for (const codeVerificationStatus of values)
      for (const platformType of platforms)
        for (const throughputLevel of levels) {
          const decision = registrationDecision({ ok: true, codeVerificationStatus, platformType, throughputLevel });
          const provisioned =
            codeVerificationStatus === "VERIFIED" &&
            !!platformType &&
            platformType !== "NOT_APPLICABLE" &&
            !!throughputLevel &&
            throughputLevel !== "NOT_APPLICABLE";
          expect(decision.action === "skip").toBe(provisioned);
        }
  });
});
