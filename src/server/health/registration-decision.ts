/**
 * When to call POST /{id}/register (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers, Meta: business-phone-numbers/registration): register when the code is
 * not verified, or when it is verified but Meta has not finished provisioning (platform_type or throughput.level
 * is NOT_APPLICABLE); skip when the number is provisioned. A health check that failed, or answered without the
 * fields, tells us nothing: it is never read as "provisioned" — we wait for a reading instead of guessing.
 */
export type HealthReading =
  | { ok: true; codeVerificationStatus?: string | null; platformType?: string | null; throughputLevel?: string | null }
  | { ok: false; error: string };

export type RegistrationDecision =
  | { action: "register"; reason: "not_verified" | "provisioning_incomplete" }
  | { action: "skip"; reason: "provisioned" }
  | { action: "wait"; reason: "health_unknown"; detail: string };

const NOT_APPLICABLE = "NOT_APPLICABLE";

export function registrationDecision(reading: HealthReading): RegistrationDecision {
  if (!reading.ok) return { action: "wait", reason: "health_unknown", detail: reading.error };
  const { codeVerificationStatus, platformType, throughputLevel } = reading;
  // The reference accepts both NOT_VERIFIED and the spec's UNVERIFIED (Meta: business-phone-numbers/phone-numbers); anything but VERIFIED is "not verified".
  if (!codeVerificationStatus) return { action: "wait", reason: "health_unknown", detail: "Meta did not report code_verification_status." };
  if (codeVerificationStatus !== "VERIFIED") return { action: "register", reason: "not_verified" };
  if (platformType === NOT_APPLICABLE || throughputLevel === NOT_APPLICABLE)
    return { action: "register", reason: "provisioning_incomplete" };
  // Verified, but a provisioning field is missing: we cannot tell it is provisioned, so do not claim it is.
  if (!platformType || !throughputLevel) {
    return { action: "wait", reason: "health_unknown", detail: "Meta did not report platform_type and throughput.level." };
  }
  return { action: "skip", reason: "provisioned" };
}

/** Provisioned = registered on the Cloud API with a throughput level (what "skip" means above). */
export function isProvisioned(fields: {
  codeVerificationStatus?: string | null;
  platformType?: string | null;
  throughputLevel?: string | null;
}): boolean {
  return registrationDecision({ ok: true, ...fields }).action === "skip";
}
