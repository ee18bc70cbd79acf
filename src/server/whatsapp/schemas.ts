/**
 * zod schemas for Graph responses (snake_case, as Meta sends them) and their camelCase mappings for the rest of
 * the app. Tolerant by design: only `id` is required on a phone number https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers: "a client must
 * not depend on any non-`id` field being present"), unknown fields are ignored, unknown enum values are kept.
 */
import { z } from "zod";

/** A string enum that keeps values Meta adds later: typed for the known ones, still a string for new ones. */
type Open<T extends string> = T | (string & {});

const graphId = z.union([z.string(), z.number()]).transform(String);

// --- phone numbers (Meta: business-phone-numbers/phone-numbers) --------------------------------------------------------------------------------------

export type QualityRating = "GREEN" | "YELLOW" | "RED" | "UNRATED";
export type CodeVerificationStatus = Open<"VERIFIED" | "NOT_VERIFIED" | "EXPIRED">;
export type NameStatus = Open<"APPROVED" | "AVAILABLE_WITHOUT_REVIEW" | "DECLINED" | "EXPIRED" | "PENDING_REVIEW" | "NONE" | "NON_EXISTS">;
export type PlatformType = Open<"CLOUD_API" | "ON_PREMISE" | "NOT_APPLICABLE">;
export type ThroughputLevel = Open<"STANDARD" | "HIGH" | "NOT_APPLICABLE">;
export type PhoneNumberStatus = Open<
  | "PENDING"
  | "DELETED"
  | "MIGRATED"
  | "BANNED"
  | "RESTRICTED"
  | "RATE_LIMITED"
  | "FLAGGED"
  | "CONNECTED"
  | "DISCONNECTED"
  | "UNKNOWN"
  | "UNVERIFIED"
>;
export type Availability = Open<"AVAILABLE" | "LIMITED" | "BLOCKED">;

/** Meta answers NA, UNKNOWN or nothing for "not rated yet" (Meta: business-phone-numbers/phone-numbers). */
function qualityRatingOf(value: string | undefined | null): QualityRating {
  const upper = value?.toUpperCase();
  return upper === "GREEN" || upper === "YELLOW" || upper === "RED" ? upper : "UNRATED";
}

/** The docs say NOT_VERIFIED, Meta's OpenAPI file says UNVERIFIED (Meta: business-phone-numbers/phone-numbers): one value for the app. */
function codeVerificationStatusOf(value: string | undefined): CodeVerificationStatus | undefined {
  return value === "UNVERIFIED" ? "NOT_VERIFIED" : value;
}

/** Graph timestamps look like "2026-03-01T10:00:00+0000". */
function graphTimeOf(value: string | number | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const healthEntity = z.object({
  entity_type: z.string(),
  id: graphId.optional(),
  can_send_message: z.string().optional(),
  can_receive_call_sip: z.string().optional(),
  additional_info: z.array(z.string()).optional(),
  errors: z
    .array(
      z.object({ error_code: z.number().optional(), error_description: z.string().optional(), possible_solution: z.string().optional() }),
    )
    .optional(),
});

export const healthStatusSchema = z.object({ can_send_message: z.string().optional(), entities: z.array(healthEntity).optional() });

export const phoneNumberNodeSchema = z.object({
  id: graphId,
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  code_verification_status: z.string().optional(),
  name_status: z.string().optional(),
  new_display_name: z.string().optional(),
  new_name_status: z.string().optional(),
  quality_rating: z.string().nullable().optional(),
  quality_score: z.object({ score: z.string().optional(), date: z.number().optional() }).optional(),
  platform_type: z.string().optional(),
  throughput: z.object({ level: z.string().optional() }).optional(),
  messaging_limit_tier: z.string().optional(),
  whatsapp_business_manager_messaging_limit: z.string().optional(),
  status: z.string().optional(),
  account_mode: z.string().optional(),
  is_official_business_account: z.boolean().optional(),
  is_pin_enabled: z.boolean().optional(),
  is_on_biz_app: z.boolean().optional(),
  is_preverified_number: z.boolean().optional(),
  search_visibility: z.string().optional(),
  last_onboarded_time: z.union([z.string(), z.number()]).optional(),
  webhook_configuration: z
    .object({ phone_number: z.string().optional(), whatsapp_business_account: z.string().optional(), application: z.string().optional() })
    .optional(),
  country_code: z.string().optional(),
  country_dial_code: z.string().optional(),
  health_status: healthStatusSchema.optional(),
});

export type HealthEntity = {
  entityType: Open<"PHONE_NUMBER" | "WABA" | "BUSINESS" | "APP" | "MESSAGE_TEMPLATE">;
  id?: string;
  canSendMessage?: Availability;
  canReceiveCallSip?: string;
  additionalInfo: string[];
  errors: { code?: number; description?: string; possibleSolution?: string }[];
};

export type HealthStatus = { canSendMessage?: Availability; entities: HealthEntity[] };

export type PhoneNumberInfo = {
  id: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  codeVerificationStatus?: CodeVerificationStatus;
  nameStatus?: NameStatus;
  newDisplayName?: string;
  newNameStatus?: NameStatus;
  qualityRating: QualityRating;
  qualityScore?: QualityRating;
  platformType?: PlatformType;
  throughput?: { level: ThroughputLevel };
  /** deprecated per-number tier (Meta: messaging-limits) */
  messagingLimitTier?: string;
  /** whatsapp_business_manager_messaging_limit: the portfolio's limit (Meta: messaging-limits) */
  messagingLimit?: string;
  status?: PhoneNumberStatus;
  accountMode?: Open<"LIVE" | "SANDBOX">;
  isOfficialBusinessAccount?: boolean;
  isPinEnabled?: boolean;
  isOnBizApp?: boolean;
  isPreverifiedNumber?: boolean;
  searchVisibility?: string;
  lastOnboardedAt?: Date;
  webhookConfiguration?: { phoneNumber?: string; whatsappBusinessAccount?: string; application?: string };
  countryCode?: string;
  countryDialCode?: string;
  healthStatus?: HealthStatus;
};

export function toHealthStatus(health: z.infer<typeof healthStatusSchema>): HealthStatus {
  return {
    canSendMessage: health.can_send_message,
    entities: (health.entities ?? []).map((e) => ({
      entityType: e.entity_type,
      id: e.id,
      canSendMessage: e.can_send_message,
      canReceiveCallSip: e.can_receive_call_sip,
      additionalInfo: e.additional_info ?? [],
      errors: (e.errors ?? []).map((x) => ({
        code: x.error_code,
        description: x.error_description,
        possibleSolution: x.possible_solution,
      })),
    })),
  };
}

export function toPhoneNumberInfo(node: z.infer<typeof phoneNumberNodeSchema>): PhoneNumberInfo {
  const info: PhoneNumberInfo = {
    id: node.id,
    displayPhoneNumber: node.display_phone_number,
    verifiedName: node.verified_name,
    codeVerificationStatus: codeVerificationStatusOf(node.code_verification_status),
    nameStatus: node.name_status,
    newDisplayName: node.new_display_name,
    newNameStatus: node.new_name_status,
    qualityRating: qualityRatingOf(node.quality_rating),
    qualityScore: node.quality_score?.score !== undefined ? qualityRatingOf(node.quality_score.score) : undefined,
    platformType: node.platform_type,
    throughput: node.throughput?.level ? { level: node.throughput.level } : undefined,
    messagingLimitTier: node.messaging_limit_tier,
    messagingLimit: node.whatsapp_business_manager_messaging_limit,
    status: node.status,
    accountMode: node.account_mode,
    isOfficialBusinessAccount: node.is_official_business_account,
    isPinEnabled: node.is_pin_enabled,
    isOnBizApp: node.is_on_biz_app,
    isPreverifiedNumber: node.is_preverified_number,
    searchVisibility: node.search_visibility,
    lastOnboardedAt: graphTimeOf(node.last_onboarded_time),
    webhookConfiguration: node.webhook_configuration
      ? {
          phoneNumber: node.webhook_configuration.phone_number,
          whatsappBusinessAccount: node.webhook_configuration.whatsapp_business_account,
          application: node.webhook_configuration.application,
        }
      : undefined,
    countryCode: node.country_code,
    countryDialCode: node.country_dial_code,
    healthStatus: node.health_status ? toHealthStatus(node.health_status) : undefined,
  };
  // Absent fields stay absent rather than present-and-undefined, so objects compare and serialise cleanly.
  for (const key of Object.keys(info) as (keyof PhoneNumberInfo)[]) if (info[key] === undefined) delete info[key];
  return info;
}

/** Every field of the phone number node (Meta: business-phone-numbers/phone-numbers), for `fields=` selection. */
export const phoneNumberFields = [
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
  "last_onboarded_time",
  "webhook_configuration",
  "country_code",
  "country_dial_code",
  "health_status",
] as const;
export type PhoneNumberField = (typeof phoneNumberFields)[number];

// --- paging, success ----------------------------------------------------------------------------------------

export const pagingSchema = z.object({
  cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  next: z.string().optional(),
  previous: z.string().optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), paging: pagingSchema.optional() });

export const successSchema = z.object({ success: z.boolean() });

// --- subscribed apps, OAuth, debug_token (Meta: solution-providers/manage-webhooks, solution-providers/manage-accounts) -----------------------------------------------------------

export const subscribedAppsSchema = pageOf(
  z.object({
    whatsapp_business_api_data: z.object({ id: graphId, name: z.string().optional(), link: z.string().optional() }).optional(),
    override_callback_uri: z.string().optional(),
  }),
);

export type SubscribedApp = { appId?: string; name?: string; link?: string; overrideCallbackUri?: string };

export const oauthTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

export const debugTokenSchema = z.object({
  data: z.object({
    app_id: graphId.optional(),
    type: z.string().optional(),
    application: z.string().optional(),
    data_access_expires_at: z.number().optional(),
    expires_at: z.number().optional(),
    issued_at: z.number().optional(),
    is_valid: z.boolean(),
    scopes: z.array(z.string()).optional(),
    granular_scopes: z.array(z.object({ scope: z.string(), target_ids: z.array(graphId).optional() })).optional(),
    user_id: graphId.optional(),
    error: z.object({ code: z.number().optional(), message: z.string().optional(), subcode: z.number().optional() }).optional(),
  }),
});

export type TokenDebugInfo = {
  isValid: boolean;
  appId?: string;
  type?: Open<"USER" | "SYSTEM_USER" | "APP" | "PAGE">;
  application?: string;
  /** null: never expires (system-user tokens answer 0, Meta: solution-providers/manage-accounts) */
  expiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  issuedAt?: Date;
  scopes: string[];
  /** WABA ids per scope; the newest onboarded account comes first (Meta: solution-providers/manage-accounts) */
  granularScopes: { scope: string; targetIds: string[] }[];
  userId?: string;
  error?: { code?: number; message?: string; subcode?: number };
};

const epochOrNever = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000) : null);

export function toTokenDebugInfo({ data }: z.infer<typeof debugTokenSchema>): TokenDebugInfo {
  return {
    isValid: data.is_valid,
    appId: data.app_id,
    type: data.type,
    application: data.application,
    expiresAt: epochOrNever(data.expires_at),
    dataAccessExpiresAt: epochOrNever(data.data_access_expires_at),
    issuedAt: data.issued_at ? new Date(data.issued_at * 1000) : undefined,
    scopes: data.scopes ?? [],
    granularScopes: (data.granular_scopes ?? []).map((g) => ({ scope: g.scope, targetIds: g.target_ids ?? [] })),
    userId: data.user_id,
    error: data.error,
  };
}

// --- messages (Meta: messages/send-messages) ----------------------------------------------------------------------------------------

export const sendResultSchema = z.object({
  messaging_product: z.string().optional(),
  // Meta: business-scoped-user-ids: wa_id answers a send to a phone number, user_id (the BSUID) a send to `recipient`.
  contacts: z.array(z.object({ input: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

export type SentMessage = {
  /** the wamid: opaque, never parse it (Meta: messages/send-messages) */
  messageId: string;
  /** the recipient's WhatsApp id, which may differ from what was sent as `to` */
  waId?: string;
  /** the recipient's business-scoped user id, when the message was sent to one */
  userId?: string;
  input?: string;
  /** template sends under pacing: "accepted" or "held_for_quality_assessment" */
  messageStatus?: Open<"accepted" | "held_for_quality_assessment">;
};

export function toSentMessage(result: z.infer<typeof sendResultSchema>): SentMessage {
  const [message] = result.messages as [z.infer<typeof sendResultSchema>["messages"][number]];
  const contact = result.contacts?.[0];
  return {
    messageId: message.id,
    ...(contact?.wa_id ? { waId: contact.wa_id } : {}),
    ...(contact?.user_id ? { userId: contact.user_id } : {}),
    ...(contact?.input ? { input: contact.input } : {}),
    ...(message.message_status ? { messageStatus: message.message_status } : {}),
  };
}

// --- templates (Meta: templates/overview) ---------------------------------------------------------------------------------------

const templateComponentSchema = z.object({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  buttons: z
    .array(z.object({ type: z.string(), text: z.string().optional(), url: z.string().optional(), phone_number: z.string().optional() }))
    .optional(),
  /** the example values the template was submitted with (positional: body_text[0]; named: body_text_named_params) */
  example: z
    .object({
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() })).optional(),
    })
    .optional()
    .catch(undefined),
});

export const templateNodeSchema = z.object({
  id: graphId,
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string().optional(),
  parameter_format: z.string().optional(),
  rejected_reason: z.string().nullable().optional(),
  components: z.array(templateComponentSchema).optional(),
  quality_score: z.object({ score: z.string().optional() }).optional(),
});

export type TemplateStatus = Open<
  "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "IN_APPEAL" | "PENDING_DELETION" | "DELETED" | "LIMIT_EXCEEDED" | "ARCHIVED"
>;
export type TemplateCategory = Open<"MARKETING" | "UTILITY" | "AUTHENTICATION">;

export type TemplateComponent = {
  type: Open<"HEADER" | "BODY" | "FOOTER" | "BUTTONS">;
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string; url?: string; phoneNumber?: string }[];
};

export type TemplateInfo = {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category?: TemplateCategory;
  parameterFormat: "POSITIONAL" | "NAMED";
  rejectedReason?: string;
  qualityScore?: QualityRating;
  components: TemplateComponent[];
  /** placeholder names in the BODY ("1", "2", ... or named), in order of first appearance */
  bodyParameters: string[];
  /** the example value of each of bodyParameters ("" where Meta gave none) */
  bodyExamples: string[];
};

/** The placeholders of a body text: {{1}}, {{2}} or {{first_name}}; repeats count once. */
function placeholdersOf(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? ""))];
}

export function toTemplateInfo(node: z.infer<typeof templateNodeSchema>): TemplateInfo {
  const components: TemplateComponent[] = (node.components ?? []).map((c) => ({
    type: c.type.toUpperCase(),
    ...(c.format ? { format: c.format } : {}),
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(c.buttons ? { buttons: c.buttons.map((b) => ({ type: b.type, text: b.text, url: b.url, phoneNumber: b.phone_number })) } : {}),
  }));
  const bodyNode = (node.components ?? []).find((c) => c.type.toUpperCase() === "BODY");
  const bodyParameters = placeholdersOf(bodyNode?.text);
  const positional = bodyNode?.example?.body_text?.[0] ?? [];
  const named = new Map((bodyNode?.example?.body_text_named_params ?? []).map((p) => [p.param_name, p.example]));
  const bodyExamples = bodyParameters.map(
    (name, i) => named.get(name) ?? (/^\d+$/.test(name) ? positional[Number(name) - 1] : positional[i]) ?? "",
  );
  return {
    id: node.id,
    name: node.name,
    language: node.language,
    status: node.status.toUpperCase(),
    ...(node.category ? { category: node.category.toUpperCase() } : {}),
    parameterFormat: node.parameter_format?.toUpperCase() === "NAMED" ? "NAMED" : "POSITIONAL",
    ...(node.rejected_reason ? { rejectedReason: node.rejected_reason } : {}),
    ...(node.quality_score?.score ? { qualityScore: qualityRatingOf(node.quality_score.score) } : {}),
    components,
    bodyParameters,
    bodyExamples,
  };
}

export const templateFields = [
  "id",
  "name",
  "language",
  "status",
  "category",
  "parameter_format",
  "rejected_reason",
  "components",
  "quality_score",
] as const;

export const createdTemplateSchema = z.object({ id: graphId, status: z.string(), category: z.string().optional() });

// --- errors (Meta: graph-api/guides/error-handling) ------------------------------------------------------------------------------------------

export const graphErrorEnvelopeSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    // usually { messaging_product, details }, occasionally a string in older Graph answers
    error_data: z.union([z.object({ details: z.string().optional() }), z.string()]).optional(),
    fbtrace_id: z.string().optional(),
  }),
});
