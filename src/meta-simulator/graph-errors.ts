/**
 * Meta's error envelope and the errors the simulator answers with (Meta: graph-api/guides/error-handling, support/error-codes).
 *
 * `message` is always "(#code) title"; `error_data.details` carries the explanation, since Meta is
 * deprecating titles. HTTP status: the current docs say not to rely on it, so the simulator follows the older
 * revision's table (190 → 401, 10/200 → 403, Graph-level rate limits 4/17/80007 → 429, injected server faults
 * → 5xx) and answers 400 for everything WhatsApp-specific, including 130429/131056, which is what real sends
 * return.
 */

export type GraphErrorInit = {
  code: number;
  title: string;
  details?: string;
  subcode?: number;
  httpStatus?: number;
  type?: string;
  userTitle?: string;
  userMessage?: string;
  isTransient?: boolean;
  /** Graph's OAuth endpoints answer without the "(#code)" prefix. */
  plainMessage?: boolean;
};

export class SimGraphError extends Error {
  readonly init: GraphErrorInit;

  constructor(init: GraphErrorInit) {
    super(`(#${init.code}) ${init.title}`);
    this.init = init;
  }

  get httpStatus(): number {
    return this.init.httpStatus ?? 400;
  }

  toEnvelope(fbtraceId: string) {
    const { code, title, details, subcode, type, userTitle, userMessage, isTransient, plainMessage } = this.init;
    return {
      error: {
        message: plainMessage ? title : `(#${code}) ${title}`,
        type: type ?? "OAuthException",
        code,
        ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        ...(isTransient !== undefined ? { is_transient: isTransient } : {}),
        ...(userTitle ? { error_user_title: userTitle } : {}),
        ...(userMessage ? { error_user_msg: userMessage } : {}),
        ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
        fbtrace_id: fbtraceId,
      },
    };
  }
}

const fail = (init: GraphErrorInit) => new SimGraphError(init);

/** The catalog, one factory per situation; codes and titles from Meta: support/error-codes. */
export const graphErrors = {
  // --- auth (Meta: support/error-codes) ---
  tokenMissing: () =>
    fail({ code: 104, title: "An access token is required to request this resource.", httpStatus: 401, plainMessage: true }),
  tokenInvalid: () =>
    fail({ code: 190, title: "Invalid OAuth access token - Cannot parse access token", httpStatus: 401, plainMessage: true }),
  tokenExpired: (expiredAt: number, now: number) =>
    fail({
      code: 190,
      subcode: 463,
      httpStatus: 401,
      plainMessage: true,
      title: `Error validating access token: Session has expired on ${new Date(expiredAt).toUTCString()}. The current time is ${new Date(now).toUTCString()}.`,
    }),
  tokenRevoked: () =>
    fail({
      code: 190,
      subcode: 467,
      httpStatus: 401,
      plainMessage: true,
      title:
        "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
    }),
  permissionDenied: (scope: string) =>
    fail({
      code: 10,
      httpStatus: 403,
      title: "Application does not have permission for this action",
      details: `The access token lacks the ${scope} permission for this WhatsApp Business Account.`,
    }),
  objectNotFound: (id: string, method: string) =>
    fail({
      code: 100,
      subcode: 33,
      type: "GraphMethodException",
      plainMessage: true,
      title: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    }),
  unknownPath: (path: string) => fail({ code: 2500, title: `Unknown path components: ${path}`, plainMessage: true }),
  invalidParameter: (details: string, subcode?: number) => fail({ code: 100, title: "Invalid parameter", details, subcode }),
  nonexistingField: (field: string, nodeType: string) =>
    fail({ code: 100, title: `Tried accessing nonexisting field (${field}) on node type (${nodeType})` }),

  // --- throttling (Meta: support/error-codes, throughput, about-the-platform) ---
  throughput: () => fail({ code: 130429, title: "Rate limit hit", details: "Cloud API message throughput has been reached." }),
  pairRate: () =>
    fail({
      code: 131056,
      title: "(Business Account, Consumer Account) pair rate limit hit",
      details:
        "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
    }),
  registrationLimit: () =>
    fail({
      code: 133016,
      title: "Account register deregister rate limit exceeded",
      details:
        "Registration or deregistration failed because there were too many attempts for this phone number in a short period of time (10 per 72 hours). The number is blocked for 72 hours.",
    }),

  // --- registration (Meta: business-phone-numbers/registration, support/error-codes) ---
  pinMismatch: () =>
    fail({ code: 133005, title: "Two step verification PIN Mismatch", details: "The two-step verification PIN is incorrect." }),
  numberNotVerified: () =>
    fail({
      code: 133006,
      title: "Phone number re-verification needed",
      details: "The phone number needs to be verified (request_code / verify_code) before it can be registered.",
    }),
  notRegistered: () =>
    fail({
      code: 133010,
      title: "Phone number Not Registered",
      details: "The phone number is not registered on the WhatsApp Business Platform. Register it first.",
    }),
  // Not in Meta's error page; integrators see it while the display name is still being processed (Meta: support/error-codes).
  provisioningPending: () =>
    fail({
      code: 100,
      subcode: 2388001,
      title: "Invalid parameter",
      userTitle: "Cannot Create Certificate",
      userMessage: "The display name has not finished processing, so no certificate can be issued yet. Try registering again later.",
    }),

  // --- sending (Meta: messages/send-messages, support/error-codes) ---
  accountLocked: () =>
    fail({
      code: 131031,
      title: "Business Account locked",
      details: "The business account associated with this phone number has been restricted or disabled.",
    }),
  missingParameter: (name: string) =>
    fail({ code: 131008, title: "Required parameter is missing", details: `The parameter ${name} is required.` }),
  invalidValue: (details: string) => fail({ code: 131009, title: "Parameter value is not valid", details }),
  windowClosed: () =>
    fail({
      code: 131047,
      title: "Re-engagement message",
      details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    }),
  templateNotFound: (name: string, language: string) =>
    fail({
      code: 132001,
      title: "Template name does not exist in the translation",
      details: `template name (${name}) does not exist in ${language}`,
    }),
  templateNotApproved: (name: string, status: string) =>
    fail({
      code: 132001,
      title: "Template name does not exist in the translation",
      details: `template name (${name}) is not approved (status ${status})`,
    }),
  templatePaused: (name: string) =>
    fail({
      code: 132015,
      title: "Template is Paused",
      details: `Template ${name} is paused due to low quality so it cannot be sent in a template message.`,
    }),
  templateDisabled: (name: string) =>
    fail({
      code: 132016,
      title: "Template is Disabled",
      details: `Template ${name} has been paused too many times due to low quality and is now permanently disabled.`,
    }),
  templateParamCount: (expected: number, received: number) =>
    fail({
      code: 132000,
      title: "Number of parameters does not match the expected number of params",
      details: `body: number of localizable_params (${received}) does not match the expected number of params (${expected})`,
    }),
  // Usually asynchronous: a `failed` status webhook carries it (see graph-messages.ts).
  undeliverable: () =>
    fail({
      code: 131026,
      title: "Message undeliverable",
      details:
        "Unable to deliver the message. The recipient may not be a WhatsApp user, may not have accepted WhatsApp's terms of service, or may be using an old WhatsApp version.",
    }),
  // Asynchronous, in a `failed` status (Meta: support/error-codes): Meta limits marketing messages per user; do not resend within 24 h.
  marketingLimit: () =>
    fail({
      code: 131049,
      title: "This message was not delivered to maintain healthy ecosystem engagement.",
      details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
    }),
  // Asynchronous, in a `failed` status (Meta: support/error-codes, webhooks/reference/user_preferences).
  marketingStopped: () =>
    fail({
      code: 131050,
      title:
        "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
      details: "The user stopped marketing messages from this business.",
    }),
  // Meta: throughput, support/error-codes: the number is being upgraded to higher throughput; retry after a few minutes.
  maintenance: () =>
    fail({
      code: 131057,
      title: "Account in maintenance mode",
      details: "Business Account is in maintenance mode. The phone number is undergoing a throughput upgrade.",
    }),
  // Meta documents no error for an exhausted portfolio messaging limit (Meta: messaging-limits); see README.md.
  portfolioLimit: (limit: number) =>
    fail({
      code: 131000,
      title: "Something went wrong",
      details: `The business portfolio has reached its messaging limit (${limit} users reached with business-initiated messages in a rolling 24 hours).`,
      isTransient: false,
    }),
  invalidRecipient: (recipient: string) =>
    fail({
      code: 131009,
      title: "Parameter value is not valid",
      details: `The parameter recipient (${recipient}) is not a valid business-scoped user id (e.g. ES.13491208655302741918).`,
    }),
  unknownMessageId: () => fail({ code: 131009, title: "Parameter value is not valid", details: "Message ID is not valid." }),

  // --- templates (Meta: templates/overview) ---
  templateNameInvalid: () =>
    fail({
      code: 100,
      title: "Invalid parameter",
      details: "Template name can only contain lowercase alphanumeric characters and underscores (max 512).",
    }),
  templateExists: (language: string) =>
    fail({
      code: 100,
      subcode: 2388024,
      title: "Invalid parameter",
      userTitle: "Content in This Language Already Exists",
      userMessage: `There is already ${language} content for this template. You can create a new template and try again.`,
    }),

  // --- OAuth (Meta: embedded-signup/onboarding-customers-as-a-tech-provider; Graph's OAuth answers carry no "(#code)" prefix) ---
  oauthMissing: (param: string) => fail({ code: 101, title: `Missing ${param} parameter.`, plainMessage: true }),
  oauthBadAppId: () => fail({ code: 101, title: "Error validating application. Invalid application ID.", plainMessage: true }),
  oauthBadSecret: () => fail({ code: 1, title: "Error validating client secret.", plainMessage: true }),
  oauthCodeInvalid: () => fail({ code: 100, title: "Invalid verification code format.", plainMessage: true }),
  oauthCodeExpired: () => fail({ code: 100, subcode: 36007, title: "This authorization code has expired.", plainMessage: true }),
  oauthCodeUsed: () => fail({ code: 100, subcode: 36009, title: "This authorization code has been used.", plainMessage: true }),

  // --- injected faults ---
  serverError: (httpStatus: number) => fail({ code: 2, title: "Service temporarily unavailable", httpStatus, isTransient: true }),
} satisfies Record<string, (...args: never[]) => SimGraphError>;
