/**
 * The simulator's world: accounts, numbers, templates, tokens and what has been sent. Plain data, so
 * `GET /__sim/state` can return it and `reset` can rebuild it.
 */
import {
  customerWaba,
  defaultPhoneNumbers,
  defaultPin,
  defaultTemplates,
  masterWaba,
  pendingRegistrationFailures,
  simulatorDefaults,
} from "./defaults";

// Enumerations of https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers.
export const qualityRatings = ["GREEN", "YELLOW", "RED", "NA", "UNKNOWN"] as const;
export const codeVerificationStatuses = ["VERIFIED", "NOT_VERIFIED", "EXPIRED"] as const;
export const nameStatuses = ["APPROVED", "AVAILABLE_WITHOUT_REVIEW", "DECLINED", "EXPIRED", "PENDING_REVIEW", "NONE"] as const;
export const platformTypes = ["CLOUD_API", "ON_PREMISE", "NOT_APPLICABLE"] as const;
export const throughputLevels = ["STANDARD", "HIGH", "NOT_APPLICABLE"] as const;
export const phoneStatuses = [
  "PENDING",
  "DELETED",
  "MIGRATED",
  "BANNED",
  "RESTRICTED",
  "RATE_LIMITED",
  "FLAGGED",
  "CONNECTED",
  "DISCONNECTED",
  "UNKNOWN",
  "UNVERIFIED",
] as const;
export const templateStatuses = [
  "APPROVED",
  "PENDING",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "IN_APPEAL",
  "PENDING_DELETION",
  "DELETED",
  "LIMIT_EXCEEDED",
  "ARCHIVED",
] as const;

export type QualityRating = (typeof qualityRatings)[number];
export type CodeVerificationStatus = (typeof codeVerificationStatuses)[number];
export type NameStatus = (typeof nameStatuses)[number];
export type PlatformType = (typeof platformTypes)[number];
export type ThroughputLevel = (typeof throughputLevels)[number];
export type PhoneStatus = (typeof phoneStatuses)[number];
export type TemplateStatus = (typeof templateStatuses)[number];

export type NameReview = {
  /** register calls that fail with 100/2388001 before the review completes (null: not counted) */
  failuresBeforeApproval: number | null;
  /** epoch ms at which the review completes by itself (null: never by time) */
  completesAt: number | null;
  failedAttempts: number;
};

export type SimPhoneNumber = {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  codeVerificationStatus: CodeVerificationStatus;
  nameStatus: NameStatus;
  newDisplayName: string | null;
  newNameStatus: NameStatus | null;
  qualityRating: QualityRating;
  platformType: PlatformType;
  throughputLevel: ThroughputLevel;
  /** the level a successful register grants */
  registeredThroughput: "STANDARD" | "HIGH";
  messagingLimitTier: string;
  businessMessagingLimit: string;
  status: PhoneStatus;
  accountMode: "LIVE" | "SANDBOX";
  isOfficialBusinessAccount: boolean;
  /** two-step verification PIN; null until the first register sets it (Meta: business-phone-numbers/registration) */
  pin: string | null;
  dataLocalizationRegion: string | null;
  lastOnboardedTime: number;
  countryCode: string;
  countryDialCode: string;
  nameReview: NameReview | null;
  /** timestamps of register/deregister calls in the moving 72 h window (Meta: business-phone-numbers/registration) */
  registrationCalls: number[];
  registrationBlockedUntil: number | null;
  overrideCallbackUri: string | null;
};

export type SimWaba = {
  id: string;
  name: string;
  currency: string;
  timezoneId: string;
  messageTemplateNamespace: string;
  /** apps subscribed to this account's webhooks (Meta: solution-providers/manage-webhooks); webhooks only flow to subscribed apps */
  subscribedApps: { appId: string; overrideCallbackUri: string | null }[];
};

export type SimTemplate = {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: "MARKETING" | "UTILITY" | "AUTHENTICATION";
  status: TemplateStatus;
  rejectedReason: string;
  parameterFormat: "POSITIONAL" | "NAMED";
  /** as Meta stores them: [{ type: "BODY", text: "... {{1}} ..." }, ...] */
  components: Record<string, unknown>[];
  qualityScore: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
};

export type SimToken = {
  token: string;
  type: "SYSTEM_USER" | "USER" | "APP";
  userId: string | null;
  /** "*" = every account (the platform's system user) */
  wabaIds: string[] | "*";
  scopes: string[];
  issuedAt: number;
  /** epoch ms; null = never expires (system-user tokens, Meta: solution-providers/manage-accounts) */
  expiresAt: number | null;
  revoked: boolean;
};

export type SimOAuthCode = {
  code: string;
  createdAt: number;
  used: boolean;
  wabaIds: string[];
  phoneNumberIds: string[];
  scopes: string[];
};

export type SimMessageStatus = "accepted" | "sent" | "delivered" | "read" | "failed";

/**
 * A WhatsApp user as the business sees them (Meta: business-scoped-user-ids): a business-scoped user id (BSUID,
 * "ES.1234…") always, a phone number (wa_id) unless they use a username and never shared it.
 */
export type SimUser = { userId: string; waId: string | null; username: string | null; name: string };

/** Meta: pricing: the `pricing` object of a message's status webhooks, fixed when the message is accepted. */
export type SimPricing = {
  billable: boolean;
  pricing_model: "PMP";
  category: "marketing" | "utility" | "authentication" | "service";
  type: "regular" | "free_customer_service" | "free_entry_point";
};

/** Why an accepted message ends in a `failed` status instead of being delivered. */
export type SimDeliveryFailure = "undeliverable" | "marketing_limit" | "marketing_stopped";

export type SimSentMessage = {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  /** what the business addressed: the `to` phone number, or the `recipient` BSUID when sent without `to` */
  to: string;
  /** the user's phone number; their BSUID instead when the message went to a BSUID and Meta does not reveal the number */
  waId: string;
  /** the user's BSUID (Meta: business-scoped-user-ids) */
  userId: string;
  type: string;
  text: string | null;
  template: { name: string; language: string; bodyParameters: string[] } | null;
  bizOpaqueCallbackData: string | null;
  acceptedAt: number;
  pricing: SimPricing;
  /** set when the message is accepted but will fail (131026, 131049, 131050) */
  failure: SimDeliveryFailure | null;
  status: SimMessageStatus;
  statusHistory: { status: SimMessageStatus; at: number }[];
};

export type SimInboundMessage = { id: string; phoneNumberId: string; from: string; receivedAt: number };

export type SimState = {
  wabas: Map<string, SimWaba>;
  phoneNumbers: Map<string, SimPhoneNumber>;
  templates: Map<string, SimTemplate>;
  tokens: Map<string, SimToken>;
  oauthCodes: Map<string, SimOAuthCode>;
  /** wa_ids that are not WhatsApp users: sends to them fail with 131026 */
  notOnWhatsApp: Set<string>;
  /** `${phoneNumberId}|${waId}` → when that user last wrote to that number (opens the 24 h window, Meta: messages/send-messages) */
  lastInboundAt: Map<string, number>;
  inboundMessages: Map<string, SimInboundMessage>;
  sentMessages: SimSentMessage[];
  /** every user the simulator has seen, by BSUID */
  users: Map<string, SimUser>;
  /** phone number → BSUID of the users that have one */
  userIdByPhone: Map<string, string>;
  /** `${phoneNumberId}|${userKey}` → end of the 72 h free entry point window (Meta: pricing) */
  freeEntryPointUntil: Map<string, number>;
  /** BSUIDs of users who stopped marketing messages from this business (Meta: webhooks/reference/user_preferences) */
  marketingStopped: Set<string>;
  /** BSUIDs whose marketing messages Meta limits for now: every marketing send to them fails with 131049 */
  marketingLimited: Set<string>;
  /** BSUID → times marketing templates were accepted for them (Meta: support/error-codes 131049, per user over 24 h) */
  marketingSends: Map<string, number[]>;
  /** wabaId → BSUID → when that user last opened a business-initiated conversation (Meta: messaging-limits) */
  businessInitiated: Map<string, Map<string, number>>;
  /** phoneNumberId → end of a throughput upgrade in progress; sends answer 131057 until then (Meta: throughput) */
  maintenanceUntil: Map<string, number>;
};

export const allScopes = ["whatsapp_business_management", "whatsapp_business_messaging", "business_management"];

const registered = {
  codeVerificationStatus: "VERIFIED",
  nameStatus: "APPROVED",
  newDisplayName: null,
  newNameStatus: null,
  platformType: "CLOUD_API",
  throughputLevel: "STANDARD",
  registeredThroughput: "STANDARD",
  messagingLimitTier: "TIER_1K",
  businessMessagingLimit: "TIER_2K",
  status: "CONNECTED",
  accountMode: "LIVE",
  isOfficialBusinessAccount: false,
  pin: defaultPin,
  dataLocalizationRegion: null,
  countryCode: "ES",
  countryDialCode: "34",
  nameReview: null,
  registrationCalls: [],
  registrationBlockedUntil: null,
  overrideCallbackUri: null,
} satisfies Partial<SimPhoneNumber>;

/** A number in any state, filling what is not given with a connected, registered number's values. */
export function buildPhoneNumber(
  fields: Partial<SimPhoneNumber> & Pick<SimPhoneNumber, "id" | "wabaId" | "displayPhoneNumber" | "verifiedName">,
  now: number,
): SimPhoneNumber {
  return { ...registered, qualityRating: "GREEN", lastOnboardedTime: now, ...fields };
}

function poBody(language: "es" | "en") {
  return language === "es"
    ? "Hola {{1}}, te enviamos el pedido {{2}} por un total de {{3}}. Gracias."
    : "Hello {{1}}, we are sending you order {{2}} for a total of {{3}}. Thank you.";
}

export function createDefaultState(now: number): SimState {
  const day = 24 * 60 * 60 * 1000;
  const wabas = new Map<string, SimWaba>([
    [
      masterWaba.id,
      {
        id: masterWaba.id,
        name: masterWaba.name,
        currency: "EUR",
        timezoneId: "42",
        messageTemplateNamespace: "b1a2c3d4_e5f6_7a8b_9c0d_e1f2a3b4c5d6",
        subscribedApps: [{ appId: simulatorDefaults.appId, overrideCallbackUri: null }],
      },
    ],
    [
      customerWaba.id,
      {
        id: customerWaba.id,
        name: customerWaba.name,
        currency: "EUR",
        timezoneId: "42",
        messageTemplateNamespace: "c2b3d4e5_f6a7_8b9c_0d1e_f2a3b4c5d6e7",
        subscribedApps: [],
      },
    ],
  ]);

  const { platform, support, notifications, pending, customer } = defaultPhoneNumbers;
  const numbers: SimPhoneNumber[] = [
    buildPhoneNumber({ ...platform, wabaId: masterWaba.id, lastOnboardedTime: now - 90 * day }, now),
    buildPhoneNumber({ ...support, wabaId: masterWaba.id, lastOnboardedTime: now - 60 * day }, now),
    buildPhoneNumber({ ...notifications, wabaId: masterWaba.id, qualityRating: "YELLOW", lastOnboardedTime: now - 30 * day }, now),
    buildPhoneNumber(
      {
        ...pending,
        wabaId: masterWaba.id,
        qualityRating: "NA",
        nameStatus: "PENDING_REVIEW",
        platformType: "NOT_APPLICABLE",
        throughputLevel: "NOT_APPLICABLE",
        status: "PENDING",
        messagingLimitTier: "TIER_250",
        businessMessagingLimit: "TIER_250",
        pin: null,
        nameReview: { failuresBeforeApproval: pendingRegistrationFailures, completesAt: null, failedAttempts: 0 },
        lastOnboardedTime: now - day,
      },
      now,
    ),
    buildPhoneNumber(
      {
        ...customer,
        wabaId: customerWaba.id,
        qualityRating: "NA",
        platformType: "NOT_APPLICABLE",
        throughputLevel: "NOT_APPLICABLE",
        status: "PENDING",
        messagingLimitTier: "TIER_250",
        businessMessagingLimit: "TIER_250",
        pin: null,
        lastOnboardedTime: now - 2 * 60 * 60 * 1000,
      },
      now,
    ),
  ];

  const bodyParamsExample = [["Harinas del Norte", "PO-2024-0042", "125,50 €"]];
  const templates: SimTemplate[] = [
    ...(["es", "en"] as const).map((language): SimTemplate => ({
      id: language === "es" ? defaultTemplates.poNotificationEs.id : defaultTemplates.poNotificationEn.id,
      wabaId: masterWaba.id,
      name: "po_notification",
      language,
      category: "UTILITY",
      status: "APPROVED",
      rejectedReason: "NONE",
      parameterFormat: "POSITIONAL",
      components: [{ type: "BODY", text: poBody(language), example: { body_text: bodyParamsExample } }],
      qualityScore: "GREEN",
    })),
    {
      id: defaultTemplates.helloWorld.id,
      wabaId: masterWaba.id,
      name: "hello_world",
      language: "en_US",
      category: "UTILITY",
      status: "APPROVED",
      rejectedReason: "NONE",
      parameterFormat: "POSITIONAL",
      components: [
        { type: "HEADER", format: "TEXT", text: "Hello World" },
        {
          type: "BODY",
          text: "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API.",
        },
        { type: "FOOTER", text: "WhatsApp Business Platform sample message" },
      ],
      qualityScore: "UNKNOWN",
    },
  ];

  return {
    wabas,
    phoneNumbers: new Map(numbers.map((n) => [n.id, n])),
    templates: new Map(templates.map((t) => [t.id, t])),
    tokens: new Map(),
    oauthCodes: new Map(),
    notOnWhatsApp: new Set(),
    lastInboundAt: new Map(),
    inboundMessages: new Map(),
    sentMessages: [],
    users: new Map(),
    userIdByPhone: new Map(),
    freeEntryPointUntil: new Map(),
    marketingStopped: new Set(),
    marketingLimited: new Set(),
    marketingSends: new Map(),
    businessInitiated: new Map(),
    maintenanceUntil: new Map(),
  };
}

/** Placeholders in a template's BODY ({{1}} or {{name}}), i.e. how many body parameters a send must carry. */
export function bodyParameterCount(template: Pick<SimTemplate, "components">): number {
  const body = template.components.find((c) => String(c.type).toUpperCase() === "BODY");
  const text = typeof body?.text === "string" ? body.text : "";
  return new Set([...text.matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi)].map((m) => m[1])).size;
}

/** A JSON-friendly snapshot for GET /__sim/state. */
export function snapshotState(state: SimState) {
  return {
    wabas: [...state.wabas.values()],
    phoneNumbers: [...state.phoneNumbers.values()],
    templates: [...state.templates.values()].map((t) => ({ ...t, bodyParameterCount: bodyParameterCount(t) })),
    tokens: [...state.tokens.values()],
    oauthCodes: [...state.oauthCodes.values()],
    notOnWhatsApp: [...state.notOnWhatsApp],
    openWindows: Object.fromEntries(state.lastInboundAt),
    sentMessages: state.sentMessages.length,
    users: [...state.users.values()],
    marketingStopped: [...state.marketingStopped],
    marketingLimited: [...state.marketingLimited],
    maintenanceUntil: Object.fromEntries(state.maintenanceUntil),
  };
}
