/**
 * Phone number and account nodes, the phone_numbers edge, register / deregister
 * (Meta: business-phone-numbers/phone-numbers, business-phone-numbers/phone-numbers, business-phone-numbers/registration, whatsapp-business-accounts).
 */
import type { SimulatorCore } from "./core";
import { graphErrors } from "./graph-errors";
import { ok, paginate, parseFields, selectFields, stringParam, type GraphRequest, type GraphResponse } from "./graph-request";
import { getTemplate } from "./graph-templates";
import type { SimPhoneNumber, SimWaba } from "./state";

// Meta: business-phone-numbers/phone-numbers: the metadata example Meta documents as the answer without `fields`.
const defaultPhoneFields = [
  "verified_name",
  "code_verification_status",
  "display_phone_number",
  "quality_rating",
  "platform_type",
  "throughput",
  "webhook_configuration",
  "id",
] as const;
// Meta: business-phone-numbers/phone-numbers: the list's default items.
const defaultListFields = ["verified_name", "display_phone_number", "id", "quality_rating"] as const;
const knownPhoneFields = [
  "id",
  "display_phone_number",
  "verified_name",
  "code_verification_status",
  "name_status",
  "new_display_name",
  "new_name_status",
  "quality_rating",
  "quality_score",
  "platform_type",
  "throughput",
  "messaging_limit_tier",
  "whatsapp_business_manager_messaging_limit",
  "status",
  "account_mode",
  "is_official_business_account",
  "is_pin_enabled",
  "is_on_biz_app",
  "is_preverified_number",
  "search_visibility",
  "eligibility_for_api_business_global_search",
  "last_onboarded_time",
  "webhook_configuration",
  "conversational_automation",
  "country_code",
  "country_dial_code",
  "certificate",
  "health_status",
] as const;

const registrationWindowMs = 72 * 60 * 60 * 1000;
const dataLocalizationRegions = ["AU", "ID", "IN", "JP", "SG", "KR", "DE", "CH", "GB", "BR", "BH", "ZA", "AE", "CA"];

/** Graph's timestamp format, e.g. "2026-03-01T10:00:00+0000". */
const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");

type Availability = "AVAILABLE" | "LIMITED" | "BLOCKED";

/**
 * health_status (Meta: support/health-status): the number's own entity from its state, the account/business/app entities always
 * available; the overall value is the worst of them.
 */
function healthStatus(core: SimulatorCore, phone: SimPhoneNumber) {
  const errors: { error_code: number; error_description: string; possible_solution: string }[] = [];
  const additionalInfo: string[] = [];
  if (phone.status === "BANNED" || phone.status === "DELETED") {
    errors.push({
      error_code: 131031,
      error_description: "The phone number has been banned from the WhatsApp Business Platform.",
      possible_solution: "Request a review of the decision in WhatsApp Manager.",
    });
  }
  if (phone.codeVerificationStatus !== "VERIFIED") {
    errors.push({
      error_code: 133006,
      error_description: "The phone number has not been verified.",
      possible_solution: "Verify ownership with a code sent by SMS or voice, then register the number.",
    });
  }
  if (phone.platformType !== "CLOUD_API") {
    errors.push({
      error_code: 133010,
      error_description: "The phone number is not registered on the Cloud API.",
      possible_solution: "Register the number with POST /{phone-number-id}/register.",
    });
  }
  if (phone.nameStatus !== "APPROVED" && phone.nameStatus !== "AVAILABLE_WITHOUT_REVIEW") {
    additionalInfo.push("Your display name has not been approved yet. Messages can be sent once the display name is approved.");
  }
  if (phone.status === "FLAGGED" || phone.qualityRating === "RED") {
    additionalInfo.push("The quality rating of this phone number is low. Improve message quality to avoid restrictions.");
  }
  if (phone.status === "RESTRICTED" || phone.status === "RATE_LIMITED") {
    additionalInfo.push("This phone number has reached its messaging limit and is temporarily restricted.");
  }
  const phoneAvailability: Availability = errors.length > 0 ? "BLOCKED" : additionalInfo.length > 0 ? "LIMITED" : "AVAILABLE";
  const entities = [
    {
      entity_type: "PHONE_NUMBER",
      id: phone.id,
      can_send_message: phoneAvailability,
      ...(errors.length > 0 ? { errors } : {}),
      ...(errors.length === 0 && additionalInfo.length > 0 ? { additional_info: additionalInfo } : {}),
    },
    ...core.accountHealthEntities(phone.wabaId),
  ];
  return { can_send_message: phoneAvailability, entities };
}

function webhookConfiguration(core: SimulatorCore, phone: SimPhoneNumber) {
  const waba = core.state.wabas.get(phone.wabaId);
  const wabaOverride = waba?.subscribedApps.find((s) => s.appId === core.appId)?.overrideCallbackUri;
  return {
    ...(phone.overrideCallbackUri ? { phone_number: phone.overrideCallbackUri } : {}),
    ...(wabaOverride ? { whatsapp_business_account: wabaOverride } : {}),
    ...(core.config.webhookUrl ? { application: core.config.webhookUrl } : {}),
  };
}

function phoneNode(core: SimulatorCore, phone: SimPhoneNumber): Record<string, unknown> {
  return {
    id: phone.id,
    display_phone_number: phone.displayPhoneNumber,
    verified_name: phone.verifiedName,
    code_verification_status: phone.codeVerificationStatus,
    name_status: phone.nameStatus,
    new_display_name: phone.newDisplayName ?? undefined,
    new_name_status: phone.newNameStatus ?? undefined,
    quality_rating: phone.qualityRating,
    quality_score: { score: phone.qualityRating === "NA" ? "UNKNOWN" : phone.qualityRating, date: Math.floor(core.now() / 1000) },
    platform_type: phone.platformType,
    throughput: { level: phone.throughputLevel },
    messaging_limit_tier: phone.messagingLimitTier,
    whatsapp_business_manager_messaging_limit: phone.businessMessagingLimit,
    status: phone.status,
    account_mode: phone.accountMode,
    is_official_business_account: phone.isOfficialBusinessAccount,
    is_pin_enabled: phone.pin !== null,
    is_on_biz_app: false,
    is_preverified_number: false,
    search_visibility: "VISIBLE",
    eligibility_for_api_business_global_search: "NON_ELIGIBLE_UNDEFINED_COUNTRY",
    last_onboarded_time: graphTime(phone.lastOnboardedTime),
    webhook_configuration: webhookConfiguration(core, phone),
    conversational_automation: { enable_welcome_message: false, prompts: [], commands: [] },
    country_code: phone.countryCode,
    country_dial_code: phone.countryDialCode,
    health_status: healthStatus(core, phone),
  };
}

const knownWabaFields = [
  "id",
  "name",
  "currency",
  "timezone_id",
  "message_template_namespace",
  "account_review_status",
  "business_verification_status",
  "ownership_type",
  "health_status",
] as const;

/** health_status of the account node (Meta: support/health-status): the account, its business and the app. */
function wabaHealthStatus(core: SimulatorCore, waba: SimWaba) {
  const entities = core.accountHealthEntities(waba.id);
  return { can_send_message: "AVAILABLE", entities };
}

function wabaNode(core: SimulatorCore, waba: SimWaba): Record<string, unknown> {
  return {
    id: waba.id,
    name: waba.name,
    currency: waba.currency,
    timezone_id: waba.timezoneId,
    message_template_namespace: waba.messageTemplateNamespace,
    account_review_status: "APPROVED",
    business_verification_status: "verified",
    ownership_type: "SELF",
    health_status: wabaHealthStatus(core, waba),
  };
}

/** GET /{node-id}: a phone number or an account. */
export function getNode(core: SimulatorCore, request: GraphRequest, id: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const fields = parseFields(request.query.get("fields"));
  const waba = core.state.wabas.get(id);
  if (waba) {
    core.authorize(auth, waba.id, id, request.method, "whatsapp_business_management");
    return ok(
      selectFields(
        wabaNode(core, waba),
        fields,
        ["id", "name", "currency", "timezone_id", "message_template_namespace"],
        knownWabaFields,
        "WhatsAppBusinessAccount",
      ),
    );
  }
  const template = core.state.templates.get(id);
  if (template) return getTemplate(core, request, template);
  const phone = core.phoneNumber(id, request.method);
  core.authorize(auth, phone.wabaId, id, request.method, "whatsapp_business_management");
  return ok(selectFields(phoneNode(core, phone), fields, defaultPhoneFields, knownPhoneFields, "WhatsAppBusinessPhoneNumber"));
}

/** POST /{phone-number-id}: set the two-step PIN or request a display name change (Meta: business-phone-numbers/phone-numbers). */
export function updatePhoneNumber(core: SimulatorCore, request: GraphRequest, id: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const phone = core.phoneNumber(id, request.method);
  core.authorize(auth, phone.wabaId, id, request.method, "whatsapp_business_management");
  const pin = stringParam(request, "pin");
  const newName = stringParam(request, "new_display_name");
  if (pin === undefined && newName === undefined)
    throw graphErrors.invalidParameter("Nothing to update: expected pin or new_display_name.");
  if (pin !== undefined) {
    if (!/^\d{6}$/.test(pin)) throw graphErrors.invalidParameter("The PIN must be 6 digits.");
    phone.pin = pin;
  }
  if (newName !== undefined) {
    phone.newDisplayName = newName;
    phone.newNameStatus = "PENDING_REVIEW";
  }
  return ok({ success: true });
}

/** GET /{waba-id}/phone_numbers: newest onboarded first unless sort=last_onboarded_time_ascending (Meta: business-phone-numbers/phone-numbers). */
export function listPhoneNumbers(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const waba = core.state.wabas.get(wabaId);
  if (!waba) throw graphErrors.objectNotFound(wabaId, request.method);
  core.authorize(auth, waba.id, wabaId, request.method, "whatsapp_business_management");
  const fields = parseFields(request.query.get("fields"));
  const ascending = (request.query.get("sort") ?? "").includes("last_onboarded_time_ascending");
  const numbers = [...core.state.phoneNumbers.values()]
    .filter((p) => p.wabaId === waba.id)
    .sort((a, b) => (ascending ? a.lastOnboardedTime - b.lastOnboardedTime : b.lastOnboardedTime - a.lastOnboardedTime));
  for (const phone of numbers) core.refreshNameReview(phone);
  const page = paginate(request, numbers);
  return ok({
    ...page,
    data: page.data.map((p) =>
      selectFields(phoneNode(core, p), fields, defaultListFields, knownPhoneFields, "WhatsAppBusinessPhoneNumber"),
    ),
  });
}

/** Register and deregister share one budget: 10 calls per number per moving 72 h, then 133016 and a 72 h block (Meta: business-phone-numbers/registration). */
function spendRegistrationCall(core: SimulatorCore, phone: SimPhoneNumber): void {
  const now = core.now();
  if (phone.registrationBlockedUntil !== null && phone.registrationBlockedUntil > now) throw graphErrors.registrationLimit();
  phone.registrationCalls = phone.registrationCalls.filter((at) => at > now - registrationWindowMs);
  if (phone.registrationCalls.length >= 10) {
    phone.registrationBlockedUntil = now + registrationWindowMs;
    throw graphErrors.registrationLimit();
  }
  phone.registrationCalls.push(now);
}

export function register(core: SimulatorCore, request: GraphRequest, id: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const phone = core.phoneNumber(id, request.method);
  core.authorize(auth, phone.wabaId, id, request.method, "whatsapp_business_management");
  if (stringParam(request, "messaging_product") !== "whatsapp")
    throw graphErrors.invalidParameter('The parameter messaging_product is required and must be "whatsapp".');
  const pin = stringParam(request, "pin");
  if (pin === undefined) throw graphErrors.invalidParameter("The parameter pin is required.");
  if (!/^\d{6}$/.test(pin)) throw graphErrors.invalidParameter("Param pin must be 6 characters long.");
  const region = stringParam(request, "data_localization_region");
  if (region !== undefined && !dataLocalizationRegions.includes(region)) {
    throw graphErrors.invalidParameter(`data_localization_region must be one of ${dataLocalizationRegions.join(", ")}.`);
  }

  spendRegistrationCall(core, phone);
  if (phone.codeVerificationStatus !== "VERIFIED") throw graphErrors.numberNotVerified();
  // Meta: business-phone-numbers/registration: with two-step verification on, the PIN must be the existing one; otherwise it becomes the PIN.
  if (phone.pin !== null && phone.pin !== pin) throw graphErrors.pinMismatch();
  const review = phone.nameReview;
  if (review) {
    if (review.failuresBeforeApproval !== null && review.failedAttempts >= review.failuresBeforeApproval) {
      core.approveName(phone);
    } else {
      review.failedAttempts++;
      throw graphErrors.provisioningPending();
    }
  }

  phone.pin = pin;
  phone.dataLocalizationRegion = region ?? null;
  phone.platformType = "CLOUD_API";
  phone.throughputLevel = phone.registeredThroughput;
  if (phone.status === "PENDING" || phone.status === "DISCONNECTED" || phone.status === "UNVERIFIED") phone.status = "CONNECTED";
  if (phone.qualityRating === "NA" || phone.qualityRating === "UNKNOWN") phone.qualityRating = "GREEN";
  return ok({ success: true });
}

export function deregister(core: SimulatorCore, request: GraphRequest, id: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const phone = core.phoneNumber(id, request.method);
  core.authorize(auth, phone.wabaId, id, request.method, "whatsapp_business_management");
  spendRegistrationCall(core, phone);
  phone.platformType = "NOT_APPLICABLE";
  phone.throughputLevel = "NOT_APPLICABLE";
  phone.dataLocalizationRegion = null;
  if (phone.status === "CONNECTED") phone.status = "DISCONNECTED";
  return ok({ success: true });
}
