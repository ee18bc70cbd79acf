/**
 * The simulator's engine: state, configuration, clock, randomness, auth, limits and the webhooks that state
 * changes produce. The HTTP layer (server.ts) and the route modules only translate requests into calls here.
 */
import { simulatorDefaults } from "./defaults";
import { graphErrors, type SimGraphError } from "./graph-errors";
import { RandomSource } from "./prng";
import {
  allScopes,
  createDefaultState,
  type SimDeliveryFailure,
  type SimPhoneNumber,
  type SimPricing,
  type SimSentMessage,
  type SimState,
  type SimTemplate,
  type SimToken,
  type SimUser,
} from "./state";
import { TaskTracker } from "./tasks";
import { WebhookDispatcher, type WebhookMode, type WebhookRetry, type WebhookTarget } from "./webhooks";

export type StatusDelays = { sent: number | null; delivered: number | null; read: number | null };

export type FaultStep =
  | { type: "server_error"; httpStatus?: number }
  | { type: "error"; code: number; subcode?: number; httpStatus?: number; title?: string; details?: string }
  | { type: "latency"; ms: number }
  /** close the connection without answering (a network error for the client) */
  | { type: "disconnect" };

export type FaultConfig = {
  latencyMs: number;
  /** fraction of Graph calls answered with `error` */
  errorRate: number;
  /** fraction of Graph calls answered 500 (code 2, transient) */
  serverErrorRate: number;
  error: { code: number; subcode?: number; httpStatus?: number; title?: string; details?: string };
  /** only Graph calls whose "METHOD /path" (without version) matches this regex are affected */
  pathPattern: string | null;
  /** scripted faults, consumed one per matching Graph call before the rates apply */
  next: FaultStep[];
};

export type SimulatorConfig = {
  webhookUrl: string | null;
  statusDelaysMs: StatusDelays;
  webhookMode: WebhookMode;
  webhookRetry: WebhookRetry;
  /** Meta: about-the-platform: one message per `intervalMs` to the same user, bursts up to `burst` */
  pairRateLimit: { enabled: boolean; burst: number; intervalMs: number };
  /** Meta: throughput: messages per second per number */
  throughputMps: { STANDARD: number; HIGH: number };
  /** how a send to a non-WhatsApp user fails: a `failed` status webhook (Meta's behaviour) or a synchronous 131026 */
  undeliverableMode: "webhook" | "sync";
  /** templates created through the API are approved after this long (null: they stay PENDING until told) */
  templateReviewMs: number | null;
  /**
   * Meta: support/error-codes (131049): the share (0–1) of marketing templates to a user who already got one in
   * the last 24 h that Meta does not deliver. 0 turns the dice off; `POST /__sim/users/marketing-limit` forces it.
   */
  marketingLimitShare: number;
  /**
   * Meta: messaging-limits: users one account (all its numbers) may reach with business-initiated messages in a
   * rolling 24 h; null = unlimited.
   */
  portfolioMessagingLimit: number | null;
  faults: FaultConfig;
};

export type MetaSimulatorOptions = {
  /** signs webhooks (X-Hub-Signature-256) */
  appSecret?: string;
  webhookUrl?: string | null;
  /** bearer tokens accepted as the platform's system user (every account, every scope) */
  accessTokens?: string[];
  seed?: number;
  statusDelaysMs?: Partial<StatusDelays>;
  webhookMode?: WebhookMode;
  webhookRetry?: Partial<WebhookRetry>;
  pairRateLimit?: Partial<SimulatorConfig["pairRateLimit"]> | false;
  throughputMps?: Partial<SimulatorConfig["throughputMps"]>;
  undeliverableMode?: SimulatorConfig["undeliverableMode"];
  templateReviewMs?: number | null;
  marketingLimitShare?: number;
  portfolioMessagingLimit?: number | null;
  /** the app whose code exchange and app token the simulator accepts */
  appId?: string;
  /** client_secret for /oauth/access_token and app tokens; defaults to appSecret */
  appSecretForOAuth?: string;
  now?: () => number;
  /** set false to silence the per-request log of main.ts */
  log?: ((line: string) => void) | false;
};

export const noFaults = (): FaultConfig => ({
  latencyMs: 0,
  errorRate: 0,
  serverErrorRate: 0,
  error: { code: 131000, title: "Something went wrong", httpStatus: 500 },
  pathPattern: null,
  next: [],
});

function initialConfig(options: MetaSimulatorOptions): SimulatorConfig {
  const pair = options.pairRateLimit;
  return {
    webhookUrl: options.webhookUrl ?? null,
    statusDelaysMs: { sent: 100, delivered: 400, read: 1500, ...options.statusDelaysMs },
    webhookMode: options.webhookMode ?? "normal",
    webhookRetry: { maxAttempts: 5, baseDelayMs: 1000, timeoutMs: 20_000, ...options.webhookRetry },
    pairRateLimit:
      pair === false ? { enabled: false, burst: 45, intervalMs: 6000 } : { enabled: true, burst: 45, intervalMs: 6000, ...pair },
    throughputMps: { STANDARD: 80, HIGH: 1000, ...options.throughputMps },
    undeliverableMode: options.undeliverableMode ?? "webhook",
    templateReviewMs: options.templateReviewMs ?? null,
    marketingLimitShare: options.marketingLimitShare ?? 0,
    portfolioMessagingLimit: options.portfolioMessagingLimit ?? null,
    faults: noFaults(),
  };
}

export type AuthContext = { token: SimToken };

const DAY = 24 * 60 * 60 * 1000;
export const freeEntryPointWindowMs = 3 * DAY;

/** Meta: business-scoped-user-ids: a BSUID is the user's ISO country code, a dot and up to 128 alphanumerics. */
export const bsuidPattern = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

const countryByDialCode: [string, string][] = [
  ["34", "ES"],
  ["351", "PT"],
  ["33", "FR"],
  ["39", "IT"],
  ["49", "DE"],
  ["44", "GB"],
  ["52", "MX"],
  ["54", "AR"],
  ["55", "BR"],
  ["1", "US"],
];

/** A stable BSUID for a phone number or username (FNV-1a, 64 bits): the same user always gets the same id. */
export function bsuidFor(key: string, waId: string | null): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(key, "utf8")) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  const country = (waId && countryByDialCode.find(([code]) => waId.startsWith(code))?.[1]) ?? "US";
  return `${country}.${hash.toString().padStart(20, "0")}`;
}

const errorHref = "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes";

export class SimulatorCore {
  readonly options: MetaSimulatorOptions;
  readonly appId: string;
  readonly appSecretForOAuth: string;
  readonly random: RandomSource;
  readonly tasks = new TaskTracker();
  readonly webhooks: WebhookDispatcher;
  config: SimulatorConfig;
  state: SimState;
  clockOffsetMs = 0;
  requestCounts = new Map<string, number>();
  private throughputWindows = new Map<string, number[]>();
  private pairBuckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(options: MetaSimulatorOptions) {
    this.options = options;
    this.appId = options.appId ?? simulatorDefaults.appId;
    this.appSecretForOAuth = options.appSecretForOAuth ?? options.appSecret ?? simulatorDefaults.appSecret;
    this.random = new RandomSource(options.seed ?? simulatorDefaults.seed);
    this.config = initialConfig(options);
    this.state = createDefaultState(this.now());
    this.webhooks = new WebhookDispatcher({
      tasks: this.tasks,
      now: () => this.now(),
      appSecret: () => this.options.appSecret ?? simulatorDefaults.appSecret,
      retry: () => this.config.webhookRetry,
      mode: () => this.config.webhookMode,
    });
  }

  now(): number {
    return (this.options.now ?? Date.now)() + this.clockOffsetMs;
  }

  /** Back to the seed's default state: cancels everything scheduled and forgets what was sent. */
  reset(): void {
    this.tasks.cancelAll();
    this.clockOffsetMs = 0;
    this.random.reseed(this.options.seed ?? simulatorDefaults.seed);
    this.config = initialConfig(this.options);
    this.state = createDefaultState(this.now());
    this.webhooks.clear();
    this.requestCounts.clear();
    this.throughputWindows.clear();
    this.pairBuckets.clear();
  }

  // --- auth -------------------------------------------------------------------------------------------------

  appAccessToken(): string {
    return `${this.appId}|${this.appSecretForOAuth}`;
  }

  /** The token record for a bearer string, or the Graph error Meta would answer (Meta: support/error-codes). */
  lookupToken(raw: string | null): SimToken | SimGraphError {
    if (!raw) return graphErrors.tokenMissing();
    if ((this.options.accessTokens ?? [simulatorDefaults.masterAccessToken]).includes(raw) && !this.state.tokens.has(raw)) {
      return {
        token: raw,
        type: "SYSTEM_USER",
        userId: null,
        wabaIds: "*",
        scopes: allScopes,
        issuedAt: 0,
        expiresAt: null,
        revoked: false,
      };
    }
    if (raw === this.appAccessToken()) {
      return { token: raw, type: "APP", userId: null, wabaIds: [], scopes: [], issuedAt: 0, expiresAt: null, revoked: false };
    }
    const token = this.state.tokens.get(raw);
    if (!token) return graphErrors.tokenInvalid();
    if (token.revoked) return graphErrors.tokenRevoked();
    if (token.expiresAt !== null && token.expiresAt <= this.now()) return graphErrors.tokenExpired(token.expiresAt, this.now());
    return token;
  }

  authenticate(raw: string | null): AuthContext {
    const token = this.lookupToken(raw);
    if (token instanceof Error) throw token;
    return { token };
  }

  /**
   * Objects outside the token's accounts are invisible (Graph's 100/33 "does not exist ... missing
   * permissions"); visible ones without the needed scope answer 10.
   */
  authorize(
    auth: AuthContext,
    wabaId: string,
    objectId: string,
    method: string,
    scope: "whatsapp_business_management" | "whatsapp_business_messaging",
  ): void {
    const { wabaIds, scopes } = auth.token;
    if (wabaIds !== "*" && !wabaIds.includes(wabaId)) throw graphErrors.objectNotFound(objectId, method);
    if (!scopes.includes(scope)) throw graphErrors.permissionDenied(scope);
  }

  phoneNumber(id: string, method: string): SimPhoneNumber {
    const phone = this.state.phoneNumbers.get(id);
    if (!phone) throw graphErrors.objectNotFound(id, method);
    this.refreshNameReview(phone);
    return phone;
  }

  /** A name review set to complete at a time completes when anyone next looks (Meta: business-phone-numbers/phone-numbers name_status). */
  refreshNameReview(phone: SimPhoneNumber): void {
    const review = phone.nameReview;
    if (review?.completesAt != null && review.completesAt <= this.now()) this.approveName(phone);
  }

  approveName(phone: SimPhoneNumber): void {
    phone.nameStatus = "APPROVED";
    phone.nameReview = null;
  }

  // --- limits ------------------------------------------------------------------------------------------------

  /** Meta: throughput: a sliding one-second window per number, counting accepted sends. */
  throughputExceeded(phone: SimPhoneNumber): boolean {
    const limit = phone.throughputLevel === "HIGH" ? this.config.throughputMps.HIGH : this.config.throughputMps.STANDARD;
    const window = this.throughputWindows.get(phone.id) ?? [];
    const cutoff = this.now() - 1000;
    while (window.length > 0 && (window[0] ?? 0) <= cutoff) window.shift();
    this.throughputWindows.set(phone.id, window);
    return window.length >= limit;
  }

  recordThroughput(phone: SimPhoneNumber): void {
    this.throughputWindows.get(phone.id)?.push(this.now());
  }

  /**
   * Meta: about-the-platform as a token bucket: `burst` messages at once, refilled at one per `intervalMs`, so a burst of 20 has to
   * wait about 2 minutes before the pair is back to one message per 6 s.
   */
  takePairToken(phoneId: string, waId: string): boolean {
    const { enabled, burst, intervalMs } = this.config.pairRateLimit;
    if (!enabled) return true;
    const key = `${phoneId}|${waId}`;
    const now = this.now();
    const bucket = this.pairBuckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) / intervalMs);
    bucket.updatedAt = now;
    this.pairBuckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** `userKey` is the user's phone number when known, else their BSUID: windows and pair limits are kept under it. */
  windowOpen(phoneId: string, userKey: string): boolean {
    const last = this.state.lastInboundAt.get(`${phoneId}|${userKey}`);
    return last !== undefined && this.now() - last < DAY;
  }

  // --- users (Meta: business-scoped-user-ids) ---------------------------------------------------------------

  /** The user with this phone number, created (with a derived BSUID) on first sight. */
  userByPhone(waId: string, name = "Simulated Customer"): SimUser {
    const knownId = this.state.userIdByPhone.get(waId);
    const known = knownId ? this.state.users.get(knownId) : undefined;
    if (known) return known;
    const user: SimUser = { userId: bsuidFor(`phone:${waId}`, waId), waId, username: null, name };
    this.state.users.set(user.userId, user);
    this.state.userIdByPhone.set(waId, user.userId);
    return user;
  }

  /** A user identified by username only (no phone number shared), with the given or a derived BSUID. */
  usernameUser(username: string, userId: string | undefined, name: string): SimUser {
    const id = userId ?? bsuidFor(`username:${username}`, null);
    const user = this.state.users.get(id) ?? { userId: id, waId: null, username, name };
    user.username = username;
    this.state.users.set(id, user);
    return user;
  }

  userKey(user: SimUser): string {
    return user.waId ?? user.userId;
  }

  // --- pricing and marketing limits -----------------------------------------------------------------------

  /**
   * Meta: pricing (per-message pricing, since 2025-07-01): service messages are free inside the customer-service
   * window, so are utility templates sent inside it; everything inside a free entry point window (72 h after a
   * click-to-WhatsApp ad or page button) is free; the rest is charged by the template's category.
   */
  pricingFor(phoneId: string, user: SimUser, templateCategory: SimTemplate["category"] | null): SimPricing {
    const category = templateCategory ? (templateCategory.toLowerCase() as SimPricing["category"]) : "service";
    const entryPointUntil = this.state.freeEntryPointUntil.get(`${phoneId}|${this.userKey(user)}`);
    if (entryPointUntil !== undefined && this.now() < entryPointUntil)
      return { billable: false, pricing_model: "PMP", category, type: "free_entry_point" };
    const windowOpen = this.windowOpen(phoneId, this.userKey(user));
    if (templateCategory === null || (templateCategory === "UTILITY" && windowOpen))
      return { billable: false, pricing_model: "PMP", category, type: "free_customer_service" };
    return { billable: true, pricing_model: "PMP", category, type: "regular" };
  }

  /**
   * Why a marketing template the API accepted will not be delivered: the user stopped marketing messages (131050),
   * Meta limits marketing to them (131049, forced, or a `marketingLimitShare` of repeat sends within 24 h).
   */
  marketingFailure(user: SimUser): SimDeliveryFailure | null {
    if (this.state.marketingStopped.has(user.userId)) return "marketing_stopped";
    const now = this.now();
    const recent = (this.state.marketingSends.get(user.userId) ?? []).filter((at) => now - at < DAY);
    this.state.marketingSends.set(user.userId, [...recent, now]);
    if (this.state.marketingLimited.has(user.userId)) return "marketing_limit";
    const share = this.config.marketingLimitShare;
    if (recent.length > 0 && share > 0 && this.random.float() < share) return "marketing_limit";
    return null;
  }

  /**
   * Meta: messaging-limits (since 2025-10-07): the limit counts unique users reached with business-initiated
   * messages (templates outside an open customer-service window) in a rolling 24 h, across every number of the
   * portfolio. Throws when a new user would go beyond it; records the user otherwise.
   */
  takePortfolioQuota(wabaId: string, user: SimUser, businessInitiated: boolean): void {
    const limit = this.config.portfolioMessagingLimit;
    if (!businessInitiated || limit === null) return;
    const now = this.now();
    const reached = this.state.businessInitiated.get(wabaId) ?? new Map<string, number>();
    for (const [userId, at] of reached) if (now - at >= DAY) reached.delete(userId);
    this.state.businessInitiated.set(wabaId, reached);
    if (reached.has(user.userId)) return;
    if (reached.size >= limit) throw graphErrors.portfolioLimit(limit);
    reached.set(user.userId, now);
  }

  /** Users reached with business-initiated messages in the last 24 h, per account (for GET /__sim/portfolio-limit). */
  portfolioUsage(wabaId: string): { limit: number | null; used: number } {
    const now = this.now();
    const reached = [...(this.state.businessInitiated.get(wabaId)?.values() ?? [])].filter((at) => now - at < DAY);
    return { limit: this.config.portfolioMessagingLimit, used: reached.length };
  }

  /** The account, business and app entities of a health_status (Meta: support/health-status); always available here. */
  accountHealthEntities(wabaId: string) {
    return [
      { entity_type: "WABA", id: wabaId, can_send_message: "AVAILABLE" },
      { entity_type: "BUSINESS", id: simulatorDefaults.businessId, can_send_message: "AVAILABLE" },
      { entity_type: "APP", id: this.appId, can_send_message: "AVAILABLE", can_receive_call_sip: "AVAILABLE" },
    ];
  }

  // --- throughput upgrade (Meta: throughput) ---------------------------------------------------------------

  /** Sends answer 131057 while the number is being upgraded; the first look after the end completes it. */
  inMaintenance(phone: SimPhoneNumber): boolean {
    const until = this.state.maintenanceUntil.get(phone.id);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.completeThroughputUpgrade(phone);
    return false;
  }

  completeThroughputUpgrade(phone: SimPhoneNumber): void {
    this.state.maintenanceUntil.delete(phone.id);
    phone.registeredThroughput = "HIGH";
    if (phone.platformType === "CLOUD_API") phone.throughputLevel = "HIGH";
    phone.businessMessagingLimit = "TIER_UNLIMITED";
    phone.messagingLimitTier = "TIER_UNLIMITED";
    this.webhooks.send(
      this.webhookTarget(phone.wabaId, "phone_number_quality_update"),
      this.envelope(
        phone.wabaId,
        [{ field: "phone_number_quality_update", value: this.qualityUpdateValue(phone, "THROUGHPUT_UPGRADE") }],
        true,
      ),
    );
  }

  /**
   * Meta: webhooks/reference/phone_number_quality_update, 2026 shape: `current_limit` and `old_limit` were removed
   * in February 2026; `max_daily_conversations_per_business` carries the portfolio's limit. `legacy` adds them
   * back, for clients still reading them.
   */
  qualityUpdateValue(phone: SimPhoneNumber, event: string, legacy?: { currentLimit?: string; oldLimit?: string }) {
    return {
      display_phone_number: phone.displayPhoneNumber.replace(/\D/g, ""),
      event,
      ...(legacy?.oldLimit ? { old_limit: legacy.oldLimit } : {}),
      ...(legacy?.currentLimit ? { current_limit: legacy.currentLimit } : {}),
      max_daily_conversations_per_business: phone.businessMessagingLimit,
    };
  }

  // --- webhooks ------------------------------------------------------------------------------------------------

  /**
   * Where a webhook for this account goes (Meta: webhooks/override): nowhere unless the app is subscribed to the account (Meta: solution-providers/manage-webhooks);
   * `messages` honours the phone-number then the account override; everything else goes to the app callback.
   */
  webhookTarget(wabaId: string, field: string, phoneNumberId?: string): WebhookTarget {
    const waba = this.state.wabas.get(wabaId);
    const subscription = waba?.subscribedApps.find((s) => s.appId === this.appId);
    if (!subscription) return { url: null, skippedReason: `app ${this.appId} is not subscribed to account ${wabaId}` };
    if (field === "messages") {
      const phoneOverride = phoneNumberId ? this.state.phoneNumbers.get(phoneNumberId)?.overrideCallbackUri : null;
      const url = phoneOverride ?? subscription.overrideCallbackUri ?? this.config.webhookUrl;
      if (url) return { url };
    }
    return this.config.webhookUrl ? { url: this.config.webhookUrl } : { url: null, skippedReason: "no webhook URL configured" };
  }

  unixSeconds(at = this.now()): string {
    return String(Math.floor(at / 1000));
  }

  messagesValue(phone: SimPhoneNumber, value: Record<string, unknown>) {
    return {
      messaging_product: "whatsapp",
      // Meta: webhooks/reference/messages: metadata.display_phone_number carries digits only, no "+".
      metadata: { display_phone_number: phone.displayPhoneNumber.replace(/\D/g, ""), phone_number_id: phone.id },
      ...value,
    };
  }

  envelope(wabaId: string, changes: { field: string; value: unknown }[], withTime = false) {
    return {
      object: "whatsapp_business_account",
      entry: [{ id: wabaId, ...(withTime ? { time: Math.floor(this.now() / 1000) } : {}), changes }],
    };
  }

  statusPayload(message: SimSentMessage, status: "sent" | "delivered" | "read" | "failed", at: number) {
    const phone = this.state.phoneNumbers.get(message.phoneNumberId);
    // Meta: webhooks/reference/messages/status: pricing rides on `sent` and one of delivered/read; failed carries errors and no pricing.
    // v24.0+ webhooks omit `conversation`, so the simulator (v25-style) never sends it.
    const pricing = status === "sent" || status === "delivered" ? { pricing: message.pricing } : {};
    // Meta: webhooks/reference/messages/status: the same error object as the synchronous one, in the webhook's shape.
    const failure = message.failure ?? "undeliverable";
    const error = (
      failure === "marketing_limit"
        ? graphErrors.marketingLimit()
        : failure === "marketing_stopped"
          ? graphErrors.marketingStopped()
          : graphErrors.undeliverable()
    ).init;
    const errors =
      status === "failed"
        ? {
            errors: [
              { code: error.code, title: error.title, message: error.title, error_data: { details: error.details }, href: errorHref },
            ],
          }
        : {};
    const statusObject = {
      id: message.id,
      status,
      timestamp: this.unixSeconds(at),
      // Meta: business-scoped-user-ids: recipient_id (the phone number) only when the business sent to it.
      ...(message.waId !== message.userId ? { recipient_id: message.waId } : {}),
      recipient_user_id: message.userId,
      ...pricing,
      ...(message.bizOpaqueCallbackData ? { biz_opaque_callback_data: message.bizOpaqueCallbackData } : {}),
      ...errors,
    };
    const value = phone
      ? this.messagesValue(phone, { statuses: [statusObject] })
      : { messaging_product: "whatsapp", statuses: [statusObject] };
    return this.envelope(message.wabaId, [{ field: "messages", value }]);
  }

  /**
   * After a send is accepted: sent → delivered → read (each after its delay, null = never), or failed with 131026
   * for a recipient who is not on WhatsApp, 131049 / 131050 for a marketing template Meta does not deliver. In out-of-order mode the whole progression is held back and then
   * delivered newest first, so a receiver sees `read` before `sent` (Meta: webhooks/create-webhook-endpoint: ordering is not guaranteed).
   */
  scheduleStatuses(message: SimSentMessage): void {
    const delays = this.config.statusDelaysMs;
    const steps: { status: "sent" | "delivered" | "read" | "failed"; delay: number }[] = [];
    if (message.failure) {
      steps.push({ status: "failed", delay: delays.sent ?? 0 });
    } else {
      for (const status of ["sent", "delivered", "read"] as const) {
        const delay = delays[status];
        if (delay === null) break;
        steps.push({ status, delay });
      }
    }
    if (steps.length === 0) return;
    // The target is looked up when each webhook goes out, so a callback changed meanwhile is honoured.
    const target = () => this.webhookTarget(message.wabaId, "messages", message.phoneNumberId);
    const stillCurrent = this.tasks.current();
    const advance = (status: (typeof steps)[number]["status"]) => {
      const at = this.now();
      message.status = status;
      message.statusHistory.push({ status, at });
      return this.statusPayload(message, status, at);
    };

    if (this.config.webhookMode === "out_of_order") {
      const total = steps.reduce((sum, step) => sum + step.delay, 0);
      this.tasks.run(async () => {
        if (!(await this.tasks.sleep(total)) || !stillCurrent()) return;
        const payloads = steps.map((step) => advance(step.status));
        this.webhooks.sendInOrder(target(), payloads.reverse());
      });
      return;
    }
    // Normal mode keeps one message's statuses in order: each waits for the previous one's delivery.
    this.tasks.run(async () => {
      for (const step of steps) {
        if (!(await this.tasks.sleep(step.delay)) || !stillCurrent()) return;
        await this.webhooks.sendAndWait(target(), advance(step.status));
      }
    });
  }

  templateStatusPayload(template: SimTemplate, event: string, reason: string | null) {
    const extra: Record<string, unknown> = {};
    if (event === "PAUSED")
      extra.other_info = { title: "FIRST_PAUSE", description: "Your template has been paused for 3 hours because of low quality." };
    if (event === "DISABLED") extra.disable_info = { disable_date: this.unixSeconds() };
    if (event === "REJECTED" && reason === "INVALID_FORMAT") {
      extra.rejection_info = {
        reason: "The template has formatting issues.",
        recommendation: "Check the placeholders and their examples.",
      };
    }
    return this.envelope(
      template.wabaId,
      [
        {
          field: "message_template_status_update",
          value: {
            event,
            // Meta: webhooks/reference/message_template_status_update: an integer here, a string everywhere else.
            message_template_id: Number(template.id),
            message_template_name: template.name,
            message_template_language: template.language,
            reason,
            message_template_category: template.category,
            ...extra,
          },
        },
      ],
      true,
    );
  }

  /** Moves a template to a new status the way a review or quality decision would, and tells the app. */
  setTemplateStatus(template: SimTemplate, event: string, reason?: string | null) {
    const statusByEvent: Record<string, SimTemplate["status"]> = {
      APPROVED: "APPROVED",
      REINSTATED: "APPROVED",
      UNARCHIVED: "APPROVED",
      REJECTED: "REJECTED",
      PAUSED: "PAUSED",
      DISABLED: "DISABLED",
      PENDING: "PENDING",
      IN_APPEAL: "IN_APPEAL",
      LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
      ARCHIVED: "ARCHIVED",
      DELETED: "DELETED",
      PENDING_DELETION: "PENDING_DELETION",
    };
    const status = statusByEvent[event];
    if (status) template.status = status;
    const finalReason = reason ?? (event === "REJECTED" ? "INVALID_FORMAT" : "NONE");
    template.rejectedReason = event === "REJECTED" ? finalReason : "NONE";
    return this.webhooks.send(
      this.webhookTarget(template.wabaId, "message_template_status_update"),
      this.templateStatusPayload(template, event, finalReason),
    );
  }

  /** Meta: webhooks/reference/template_category_update: Meta re-categorised a template (e.g. UTILITY → MARKETING). */
  setTemplateCategory(template: SimTemplate, newCategory: SimTemplate["category"]) {
    const previous = template.category;
    template.category = newCategory;
    return this.webhooks.send(
      this.webhookTarget(template.wabaId, "template_category_update"),
      this.envelope(
        template.wabaId,
        [
          {
            field: "template_category_update",
            value: {
              message_template_id: Number(template.id),
              message_template_name: template.name,
              message_template_language: template.language,
              previous_category: previous,
              new_category: newCategory,
            },
          },
        ],
        true,
      ),
    );
  }

  /** Meta: webhooks/reference/message_template_quality_update: a template's quality score changed. */
  setTemplateQuality(template: SimTemplate, newScore: SimTemplate["qualityScore"]) {
    const previous = template.qualityScore;
    template.qualityScore = newScore;
    return this.webhooks.send(
      this.webhookTarget(template.wabaId, "message_template_quality_update"),
      this.envelope(
        template.wabaId,
        [
          {
            field: "message_template_quality_update",
            value: {
              previous_quality_score: previous,
              new_quality_score: newScore,
              message_template_id: Number(template.id),
              message_template_name: template.name,
              message_template_language: template.language,
            },
          },
        ],
        true,
      ),
    );
  }

  /**
   * Meta: webhooks/reference/user_preferences: the user stopped or resumed marketing messages from the business
   * ("Offers and announcements"); the simulator also applies it, so later marketing sends fail with 131050 or go.
   */
  setMarketingPreference(phone: SimPhoneNumber, user: SimUser, value: "stop" | "resume") {
    if (value === "stop") this.state.marketingStopped.add(user.userId);
    else this.state.marketingStopped.delete(user.userId);
    const ids = { ...(user.waId ? { wa_id: user.waId } : {}), user_id: user.userId };
    return this.webhooks.send(
      this.webhookTarget(phone.wabaId, "user_preferences"),
      this.envelope(phone.wabaId, [
        {
          field: "user_preferences",
          value: this.messagesValue(phone, {
            contacts: [{ profile: { name: user.name, ...(user.username ? { username: user.username } : {}) }, ...ids }],
            user_preferences: [
              {
                ...ids,
                detail: value === "stop" ? "User requested to stop marketing messages" : "User requested to resume marketing messages",
                category: "marketing_messages",
                value,
                timestamp: Math.floor(this.now() / 1000),
              },
            ],
          }),
        },
      ]),
    );
  }

  scheduleTemplateReview(template: SimTemplate): void {
    const delay = this.config.templateReviewMs;
    if (delay === null) return;
    const stillCurrent = this.tasks.current();
    this.tasks.run(async () => {
      if (!(await this.tasks.sleep(delay)) || !stillCurrent()) return;
      if (template.status === "PENDING") this.setTemplateStatus(template, "APPROVED");
    });
  }
}
