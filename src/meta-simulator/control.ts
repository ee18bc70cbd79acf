/**
 * The control API under /__sim (documented in README.md): scenarios, fault injection and inspection for
 * dev, tests and benchmarks. Not part of Meta's API, so no bearer token and plain (non-Graph) errors.
 */
import { z } from "zod";
import type { FaultConfig, SimulatorConfig, SimulatorCore } from "./core";
import { bsuidPattern, freeEntryPointWindowMs, noFaults } from "./core";
import { customerWaba, masterWaba } from "./defaults";
import {
  allScopes,
  buildPhoneNumber,
  codeVerificationStatuses,
  nameStatuses,
  phoneStatuses,
  platformTypes,
  qualityRatings,
  snapshotState,
  templateStatuses,
  throughputLevels,
  type SimPhoneNumber,
  type SimTemplate,
  type SimToken,
  type SimUser,
} from "./state";

export type ControlResponse = { status: number; body: unknown };

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new ControlError(400, `Invalid body: ${z.prettifyError(result.error)}`, result.error.issues);
  return result.data;
}

const numericId = z.string().regex(/^\d+$/, "expected a numeric Graph id");
const pin = z.string().regex(/^\d{6}$/, "expected 6 digits");

const phoneFields = z.object({
  wabaId: numericId.optional(),
  displayPhoneNumber: z.string().min(1).optional(),
  verifiedName: z.string().min(1).optional(),
  codeVerificationStatus: z.enum(codeVerificationStatuses).optional(),
  nameStatus: z.enum(nameStatuses).optional(),
  newDisplayName: z.string().nullable().optional(),
  newNameStatus: z.enum(nameStatuses).nullable().optional(),
  qualityRating: z.enum(qualityRatings).optional(),
  platformType: z.enum(platformTypes).optional(),
  throughputLevel: z.enum(throughputLevels).optional(),
  messagingLimitTier: z.string().optional(),
  businessMessagingLimit: z.string().optional(),
  status: z.enum(phoneStatuses).optional(),
  accountMode: z.enum(["LIVE", "SANDBOX"]).optional(),
  isOfficialBusinessAccount: z.boolean().optional(),
  pin: pin.nullable().optional(),
  countryCode: z.string().optional(),
  countryDialCode: z.string().optional(),
  overrideCallbackUri: z.string().nullable().optional(),
  // shortcuts
  /** true: registered on Cloud API and CONNECTED; false: NOT_APPLICABLE and PENDING */
  registered: z.boolean().optional(),
  /** the throughput a (current or future) registration has */
  throughput: z.enum(["STANDARD", "HIGH"]).optional(),
  /** display name in review, completing after N failed register calls and/or N seconds (omit both: never) */
  nameReview: z
    .object({ afterAttempts: z.number().int().min(0).optional(), afterSeconds: z.number().min(0).optional() })
    .nullable()
    .optional(),
  /** forget the register/deregister calls of the last 72 h and any 133016 block */
  resetRegistrationLimit: z.boolean().optional(),
});
type PhoneFields = z.infer<typeof phoneFields>;

function applyPhoneFields(core: SimulatorCore, phone: SimPhoneNumber, input: PhoneFields): void {
  const { registered, throughput, nameReview, resetRegistrationLimit, ...plain } = input;
  for (const [key, value] of Object.entries(plain)) if (value !== undefined) Object.assign(phone, { [key]: value });
  if (throughput) {
    phone.registeredThroughput = throughput;
    if (phone.platformType === "CLOUD_API") phone.throughputLevel = throughput;
  }
  if (registered === true) {
    phone.platformType = "CLOUD_API";
    phone.throughputLevel = phone.registeredThroughput;
    phone.status = "CONNECTED";
  } else if (registered === false) {
    phone.platformType = "NOT_APPLICABLE";
    phone.throughputLevel = "NOT_APPLICABLE";
    phone.status = "PENDING";
  }
  if (nameReview === null) {
    phone.nameReview = null;
  } else if (nameReview) {
    phone.nameStatus = "PENDING_REVIEW";
    phone.nameReview = {
      failuresBeforeApproval: nameReview.afterAttempts ?? null,
      completesAt: nameReview.afterSeconds !== undefined ? core.now() + nameReview.afterSeconds * 1000 : null,
      failedAttempts: 0,
    };
  }
  if (resetRegistrationLimit) {
    phone.registrationCalls = [];
    phone.registrationBlockedUntil = null;
  }
}

const configSchema = z.object({
  webhookUrl: z.url().nullable().optional(),
  statusDelaysMs: z
    .object({ sent: z.number().min(0).nullable(), delivered: z.number().min(0).nullable(), read: z.number().min(0).nullable() })
    .partial()
    .optional(),
  webhookMode: z.enum(["normal", "duplicate", "out_of_order"]).optional(),
  webhookRetry: z
    .object({ maxAttempts: z.number().int().min(1), baseDelayMs: z.number().min(0), timeoutMs: z.number().min(1) })
    .partial()
    .optional(),
  pairRateLimit: z
    .object({ enabled: z.boolean(), burst: z.number().int().min(1), intervalMs: z.number().min(1) })
    .partial()
    .optional(),
  throughputMps: z
    .object({ STANDARD: z.number().int().min(1), HIGH: z.number().int().min(1) })
    .partial()
    .optional(),
  undeliverableMode: z.enum(["webhook", "sync"]).optional(),
  templateReviewMs: z.number().min(0).nullable().optional(),
  marketingLimitShare: z.number().min(0).max(1).optional(),
  portfolioMessagingLimit: z.number().int().min(0).nullable().optional(),
});

const faultError = z.object({
  code: z.number().int(),
  subcode: z.number().int().optional(),
  httpStatus: z.number().int().min(400).max(599).optional(),
  title: z.string().optional(),
  details: z.string().optional(),
});
const faultsSchema = z.object({
  latencyMs: z.number().min(0).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  serverErrorRate: z.number().min(0).max(1).optional(),
  error: faultError.optional(),
  pathPattern: z.string().nullable().optional(),
  next: z
    .array(
      z.discriminatedUnion("type", [
        z.object({ type: z.literal("server_error"), httpStatus: z.number().int().min(500).max(599).optional() }),
        faultError.extend({ type: z.literal("error") }),
        z.object({ type: z.literal("latency"), ms: z.number().min(0) }),
        z.object({ type: z.literal("disconnect") }),
      ]),
    )
    .optional(),
});

const tokenSchema = z.object({
  token: z.string().min(8).optional(),
  type: z.enum(["SYSTEM_USER", "USER"]).default("SYSTEM_USER"),
  wabaIds: z.union([z.literal("*"), z.array(numericId)]).default([masterWaba.id]),
  scopes: z.array(z.string()).default(["whatsapp_business_management", "whatsapp_business_messaging"]),
  expiresInSeconds: z.number().positive().nullable().default(null),
});

const oauthCodeSchema = z.object({
  code: z.string().min(8).optional(),
  wabaId: numericId.optional(),
  wabaIds: z.array(numericId).optional(),
  phoneNumberId: numericId.optional(),
  phoneNumberIds: z.array(numericId).optional(),
  scopes: z.array(z.string()).default(["whatsapp_business_management", "whatsapp_business_messaging"]),
});

const phoneDigits = z.string().regex(/^\+?\d{7,15}$/, "expected a phone number of 7 to 15 digits, e.g. 34600111222");
const bsuid = z.string().regex(bsuidPattern, "expected a business-scoped user id, e.g. ES.13491208655302741918");
const usernameSchema = z.string().regex(/^[a-z0-9._]{3,35}$/i, "expected a username of 3 to 35 letters, digits, dots or underscores");

/** A user by phone number, or a username user without one (Meta: business-scoped-user-ids). */
const userRef = z.object({ from: phoneDigits.optional(), userId: bsuid.optional(), username: usernameSchema.optional() });

const inboundMessage = userRef.extend({
  name: z.string().default("Simulated Customer"),
  text: z.string().optional(),
  /** a quick-reply button press on a template instead of text */
  button: z.object({ payload: z.string(), text: z.string() }).optional(),
  /** the wamid this message replies to (context) */
  contextMessageId: z.string().optional(),
  id: z.string().optional(),
  timestamp: z.number().int().optional(),
  /** the user came from a click-to-WhatsApp ad: `referral` on the message and a 72 h free entry point window (Meta: pricing) */
  entryPoint: z.boolean().optional(),
});
const inboundSchema = z.union([
  z.object({ phoneNumberId: numericId, messages: z.array(inboundMessage).min(1) }),
  inboundMessage.extend({ phoneNumberId: numericId }),
]);

const templateStatusSchema = z.object({
  templateId: numericId.optional(),
  wabaId: numericId.default(masterWaba.id),
  name: z.string().optional(),
  language: z.string().optional(),
  event: z
    .string()
    .min(1)
    .transform((e) => e.toUpperCase()),
  reason: z.string().nullable().optional(),
});

const templateCreateSchema = z.object({
  id: numericId.optional(),
  wabaId: numericId.default(masterWaba.id),
  name: z.string().regex(/^[a-z0-9_]+$/),
  language: z.string().min(2),
  category: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]).default("UTILITY"),
  status: z.enum(templateStatuses).default("APPROVED"),
  rejectedReason: z.string().default("NONE"),
  /** BODY text with {{1}}-style placeholders (shortcut for components) */
  bodyText: z.string().optional(),
  components: z.array(z.record(z.string(), z.unknown())).optional(),
  qualityScore: z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]).default("UNKNOWN"),
});

const userPreferenceSchema = userRef.extend({ phoneNumberId: numericId, value: z.enum(["stop", "resume"]) });
const marketingLimitSchema = userRef.extend({ limited: z.boolean() });
const userCreateSchema = userRef.extend({ name: z.string().default("Simulated Customer") });
const templateRef = z.object({
  templateId: numericId.optional(),
  wabaId: numericId.default(masterWaba.id),
  name: z.string().optional(),
  language: z.string().optional(),
});
const templateCategorySchema = templateRef.extend({ newCategory: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]) });
const templateQualitySchema = templateRef.extend({ newQualityScore: z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]) });
const throughputUpgradeSchema = z.object({
  durationMs: z
    .number()
    .min(0)
    .default(5 * 60 * 1000),
});

const qualitySchema = z.object({
  phoneNumberId: numericId,
  event: z
    .string()
    .min(1)
    .transform((e) => e.toUpperCase()),
  qualityRating: z.enum(qualityRatings).optional(),
  /** pre-2026 payload fields (removed by Meta in February 2026), only sent when given */
  currentLimit: z.string().optional(),
  oldLimit: z.string().optional(),
});

const accountUpdateSchema = z.object({
  wabaId: numericId.default(masterWaba.id),
  phoneNumberId: numericId.optional(),
  event: z.string().min(1),
  /** extra snake_case fields merged into the change value (e.g. restriction_info, ban_info) */
  info: z.record(z.string(), z.unknown()).optional(),
});

const batchSchema = z.union([z.object({ rawBody: z.string().min(1) }), z.object({ payload: z.record(z.string(), z.unknown()) })]);

function phoneOr404(core: SimulatorCore, id: string): SimPhoneNumber {
  const phone = core.state.phoneNumbers.get(id);
  if (!phone) throw new ControlError(404, `No phone number ${id}.`);
  return phone;
}

/** The user a control call names: by phone number (created on first sight), or by username / BSUID. */
function resolveUser(core: SimulatorCore, input: z.infer<typeof userRef>, name = "Simulated Customer"): SimUser {
  if (input.from) {
    const user = core.userByPhone(input.from.replace(/^\+/, ""), name);
    if (input.username) user.username = input.username;
    return user;
  }
  if (input.username) return core.usernameUser(input.username, input.userId, name);
  const known = input.userId ? core.state.users.get(input.userId) : undefined;
  if (!known) throw new ControlError(400, "Name the user: from (a phone number), username, or the userId of a user the simulator knows.");
  return known;
}

function findTemplate(core: SimulatorCore, input: z.infer<typeof templateRef>): SimTemplate {
  const template = input.templateId
    ? core.state.templates.get(input.templateId)
    : [...core.state.templates.values()].find(
        (t) => t.wabaId === input.wabaId && t.name === input.name && (!input.language || t.language === input.language),
      );
  if (!template) throw new ControlError(404, "No such template (give templateId, or name and language).");
  return template;
}

function mergeConfig(core: SimulatorCore, input: z.infer<typeof configSchema>): SimulatorConfig {
  const c = core.config;
  core.config = {
    ...c,
    ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
    ...(input.webhookMode ? { webhookMode: input.webhookMode } : {}),
    ...(input.undeliverableMode ? { undeliverableMode: input.undeliverableMode } : {}),
    ...(input.templateReviewMs !== undefined ? { templateReviewMs: input.templateReviewMs } : {}),
    ...(input.marketingLimitShare !== undefined ? { marketingLimitShare: input.marketingLimitShare } : {}),
    ...(input.portfolioMessagingLimit !== undefined ? { portfolioMessagingLimit: input.portfolioMessagingLimit } : {}),
    statusDelaysMs: { ...c.statusDelaysMs, ...input.statusDelaysMs },
    webhookRetry: { ...c.webhookRetry, ...input.webhookRetry },
    pairRateLimit: { ...c.pairRateLimit, ...input.pairRateLimit },
    throughputMps: { ...c.throughputMps, ...input.throughputMps },
  };
  return core.config;
}

function mergeFaults(core: SimulatorCore, input: z.infer<typeof faultsSchema>): FaultConfig {
  if (input.pathPattern) {
    try {
      new RegExp(input.pathPattern);
    } catch {
      throw new ControlError(400, `pathPattern is not a valid regular expression: ${input.pathPattern}`);
    }
  }
  const f = core.config.faults;
  core.config.faults = {
    latencyMs: input.latencyMs ?? f.latencyMs,
    errorRate: input.errorRate ?? f.errorRate,
    serverErrorRate: input.serverErrorRate ?? f.serverErrorRate,
    error: input.error ?? f.error,
    pathPattern: input.pathPattern !== undefined ? input.pathPattern : f.pathPattern,
    next: input.next ?? f.next,
  };
  return core.config.faults;
}

function createToken(core: SimulatorCore, input: z.infer<typeof tokenSchema>): SimToken {
  const now = core.now();
  const token: SimToken = {
    token: input.token ?? core.random.token("EAAG", 120),
    type: input.type,
    userId: core.random.graphId(),
    wabaIds: input.wabaIds,
    scopes: input.scopes,
    issuedAt: now,
    expiresAt: input.expiresInSeconds === null ? null : now + input.expiresInSeconds * 1000,
    revoked: false,
  };
  core.state.tokens.set(token.token, token);
  return token;
}

/** The record of a token to expire or revoke, adding one for a configured master token on first use. */
function tokenRecord(core: SimulatorCore, raw: string): SimToken {
  const existing = core.lookupToken(raw);
  if (!(existing instanceof Error) && existing.type === "APP") throw new ControlError(400, "The app token cannot be expired or revoked.");
  const stored = core.state.tokens.get(raw);
  if (stored) return stored;
  if (existing instanceof Error) throw new ControlError(404, "Unknown token.");
  const record = { ...existing };
  core.state.tokens.set(raw, record);
  return record;
}

function injectInbound(core: SimulatorCore, input: z.infer<typeof inboundSchema>) {
  const phone = phoneOr404(core, input.phoneNumberId);
  const messages = "messages" in input ? input.messages : [input];
  const now = core.now();
  const contacts = new Map<string, Record<string, unknown>>();
  const ids: string[] = [];
  const payloadMessages = messages.map((m) => {
    const user = resolveUser(core, m, m.name);
    const key = core.userKey(user);
    const id = m.id ?? core.random.wamid(key);
    const at = m.timestamp !== undefined ? m.timestamp * 1000 : now;
    ids.push(id);
    // Meta: business-scoped-user-ids: user_id always, wa_id only when the user's phone number is shared.
    contacts.set(user.userId, {
      profile: { name: m.name, ...(user.username ? { username: user.username } : {}) },
      ...(user.waId ? { wa_id: user.waId } : {}),
      user_id: user.userId,
    });
    // Meta: messages/send-messages: a user message opens (or renews) the 24 h customer service window for that number.
    core.state.lastInboundAt.set(`${phone.id}|${key}`, Math.max(at, core.state.lastInboundAt.get(`${phone.id}|${key}`) ?? 0));
    if (m.entryPoint) core.state.freeEntryPointUntil.set(`${phone.id}|${key}`, at + freeEntryPointWindowMs);
    core.state.inboundMessages.set(id, { id, phoneNumberId: phone.id, from: key, receivedAt: at });
    const content = m.button ? { type: "button", button: m.button } : { type: "text", text: { body: m.text ?? "" } };
    return {
      ...(user.waId ? { from: user.waId } : {}),
      from_user_id: user.userId,
      id,
      timestamp: core.unixSeconds(at),
      ...(m.contextMessageId ? { context: { from: phone.displayPhoneNumber.replace(/\D/g, ""), id: m.contextMessageId } } : {}),
      // Meta: webhooks/reference/messages: a message from a click-to-WhatsApp ad carries `referral`.
      ...(m.entryPoint
        ? {
            referral: {
              source_url: "https://fb.me/simulated-ad",
              source_id: "120200000000000001",
              source_type: "ad",
              headline: "Fresh bread every morning",
              body: "Order on WhatsApp",
              ctwa_clid: `ctwa.${id.slice(-16)}`,
            },
          }
        : {}),
      ...content,
    };
  });
  const payload = core.envelope(phone.wabaId, [
    { field: "messages", value: core.messagesValue(phone, { contacts: [...contacts.values()], messages: payloadMessages }) },
  ]);
  const delivery = core.webhooks.send(core.webhookTarget(phone.wabaId, "messages", phone.id), payload);
  return { messageIds: ids, delivery: { id: delivery.id, state: delivery.state, skippedReason: delivery.skippedReason } };
}

function qualityUpdate(core: SimulatorCore, input: z.infer<typeof qualitySchema>) {
  const phone = phoneOr404(core, input.phoneNumberId);
  if (input.qualityRating) phone.qualityRating = input.qualityRating;
  if (input.event === "THROUGHPUT_UPGRADE") {
    // Meta: throughput, webhooks/reference/phone_number_quality_update: the upgrade to 1,000 mps arrives as TIER_UNLIMITED.
    phone.registeredThroughput = "HIGH";
    if (phone.platformType === "CLOUD_API") phone.throughputLevel = "HIGH";
    phone.businessMessagingLimit = "TIER_UNLIMITED";
    phone.messagingLimitTier = "TIER_UNLIMITED";
  }
  if (input.event === "FLAGGED") phone.status = "FLAGGED";
  if (input.event === "UNFLAGGED" && phone.status === "FLAGGED") phone.status = "CONNECTED";
  if (input.currentLimit) {
    phone.businessMessagingLimit = input.currentLimit;
    phone.messagingLimitTier = input.currentLimit;
  }
  const value = core.qualityUpdateValue(phone, input.event, { currentLimit: input.currentLimit, oldLimit: input.oldLimit });
  return core.webhooks.send(
    core.webhookTarget(phone.wabaId, "phone_number_quality_update"),
    core.envelope(phone.wabaId, [{ field: "phone_number_quality_update", value }], true),
  );
}

function accountUpdate(core: SimulatorCore, input: z.infer<typeof accountUpdateSchema>) {
  if (!core.state.wabas.has(input.wabaId)) throw new ControlError(404, `No account ${input.wabaId}.`);
  const phone = input.phoneNumberId ? phoneOr404(core, input.phoneNumberId) : null;
  const defaults: Record<string, Record<string, unknown>> = {
    ACCOUNT_RESTRICTION: {
      restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: Math.floor(core.now() / 1000) + 86_400 }],
    },
    ACCOUNT_VIOLATION: { violation_info: { violation_type: "SCAM" } },
    DISABLED_UPDATE: { ban_info: { waba_ban_state: ["DISABLE"], waba_ban_date: new Date(core.now()).toISOString().slice(0, 10) } },
  };
  const value = {
    event: input.event,
    ...(phone ? { phone_number: phone.displayPhoneNumber.replace(/\D/g, "") } : {}),
    ...(input.info ?? defaults[input.event] ?? {}),
  };
  return core.webhooks.send(
    core.webhookTarget(input.wabaId, "account_update"),
    core.envelope(input.wabaId, [{ field: "account_update", value }], true),
  );
}

function deliveryView(d: ReturnType<SimulatorCore["webhooks"]["list"]>[number]) {
  let payload: unknown = null;
  try {
    payload = JSON.parse(d.body);
  } catch {
    payload = null;
  }
  return { ...d, payload };
}

export async function handleControl(
  core: SimulatorCore,
  method: string,
  path: string[],
  query: URLSearchParams,
  body: unknown,
): Promise<ControlResponse> {
  const route = `${method} /${path.join("/")}`;
  const ok = (value: unknown, status = 200): ControlResponse => ({ status, body: value });
  try {
    switch (true) {
      case route === "GET /health":
        return ok({ ok: true, now: core.now() });
      case route === "POST /reset":
        core.reset();
        return ok({ ok: true });
      case route === "GET /state":
        return ok({ now: core.now(), config: core.config, ...snapshotState(core.state) });
      case route === "PUT /config":
        return ok(mergeConfig(core, parse(configSchema, body)));
      case route === "POST /clock": {
        const { advanceMs } = parse(z.object({ advanceMs: z.number().min(0) }), body);
        core.clockOffsetMs += advanceMs;
        return ok({ now: core.now() });
      }
      case route === "POST /faults":
        return ok(mergeFaults(core, parse(faultsSchema, body)));
      case route === "DELETE /faults":
        core.config.faults = noFaults();
        return ok(core.config.faults);
      case route === "GET /requests":
        return ok({ total: [...core.requestCounts.values()].reduce((a, b) => a + b, 0), byPath: Object.fromEntries(core.requestCounts) });
      case route === "DELETE /requests":
        core.requestCounts.clear();
        return ok({ ok: true });

      case route === "POST /phone-numbers": {
        const input = parse(phoneFields.extend({ id: numericId.optional() }), body);
        const id = input.id ?? core.random.graphId();
        if (core.state.phoneNumbers.has(id)) throw new ControlError(409, `Phone number ${id} already exists.`);
        const wabaId = input.wabaId ?? masterWaba.id;
        if (!core.state.wabas.has(wabaId)) throw new ControlError(404, `No account ${wabaId}.`);
        const phone = buildPhoneNumber(
          {
            id,
            wabaId,
            displayPhoneNumber: input.displayPhoneNumber ?? `+34 699 ${id.slice(-6, -3)} ${id.slice(-3)}`,
            verifiedName: input.verifiedName ?? "Simulated Number",
          },
          core.now(),
        );
        applyPhoneFields(core, phone, input);
        core.state.phoneNumbers.set(id, phone);
        return ok(phone, 201);
      }
      case method === "POST" && path[0] === "phone-numbers" && path[2] === "throughput-upgrade" && path.length === 3: {
        const phone = phoneOr404(core, path[1] ?? "");
        const { durationMs } = parse(throughputUpgradeSchema, body);
        const until = core.now() + durationMs;
        core.state.maintenanceUntil.set(phone.id, until);
        return ok({ phoneNumberId: phone.id, maintenanceUntil: until });
      }
      case method === "PATCH" && path[0] === "phone-numbers" && path.length === 2: {
        const phone = phoneOr404(core, path[1] ?? "");
        applyPhoneFields(core, phone, parse(phoneFields, body));
        return ok(phone);
      }

      case route === "POST /templates": {
        const input = parse(templateCreateSchema, body);
        if (!core.state.wabas.has(input.wabaId)) throw new ControlError(404, `No account ${input.wabaId}.`);
        const duplicate = [...core.state.templates.values()].find(
          (t) => t.wabaId === input.wabaId && t.name === input.name && t.language === input.language,
        );
        if (duplicate) core.state.templates.delete(duplicate.id);
        const template: SimTemplate = {
          id: input.id ?? core.random.graphId(),
          wabaId: input.wabaId,
          name: input.name,
          language: input.language,
          category: input.category,
          status: input.status,
          rejectedReason: input.rejectedReason,
          parameterFormat: "POSITIONAL",
          components: input.components ?? [{ type: "BODY", text: input.bodyText ?? "Hello from the simulator." }],
          qualityScore: input.qualityScore,
        };
        core.state.templates.set(template.id, template);
        return ok(template, 201);
      }
      case route === "POST /templates/status": {
        const input = parse(templateStatusSchema, body);
        const template = findTemplate(core, input);
        const delivery = core.setTemplateStatus(template, input.event, input.reason);
        return ok({ template, delivery: { id: delivery.id, state: delivery.state } });
      }

      case route === "POST /templates/category": {
        const input = parse(templateCategorySchema, body);
        const template = findTemplate(core, input);
        const delivery = core.setTemplateCategory(template, input.newCategory);
        return ok({ template, delivery: { id: delivery.id, state: delivery.state } });
      }
      case route === "POST /templates/quality": {
        const input = parse(templateQualitySchema, body);
        const template = findTemplate(core, input);
        const delivery = core.setTemplateQuality(template, input.newQualityScore);
        return ok({ template, delivery: { id: delivery.id, state: delivery.state } });
      }

      case route === "POST /tokens":
        return ok(createToken(core, parse(tokenSchema, body)), 201);
      case route === "POST /tokens/expire": {
        const record = tokenRecord(core, parse(z.object({ token: z.string() }), body).token);
        record.expiresAt = core.now() - 1000;
        return ok({ ok: true, expiresAt: record.expiresAt });
      }
      case route === "POST /tokens/revoke": {
        const record = tokenRecord(core, parse(z.object({ token: z.string() }), body).token);
        record.revoked = true;
        return ok({ ok: true });
      }
      case route === "POST /oauth-codes": {
        const input = parse(oauthCodeSchema, body);
        const wabaIds = input.wabaIds ?? (input.wabaId ? [input.wabaId] : [customerWaba.id]);
        for (const id of wabaIds) if (!core.state.wabas.has(id)) throw new ControlError(404, `No account ${id}.`);
        const code = input.code ?? core.random.token("AQ", 180);
        const grant = {
          code,
          createdAt: core.now(),
          used: false,
          wabaIds,
          phoneNumberIds: input.phoneNumberIds ?? (input.phoneNumberId ? [input.phoneNumberId] : []),
          scopes: input.scopes.filter((s) => allScopes.includes(s) || s === "public_profile"),
        };
        core.state.oauthCodes.set(code, grant);
        return ok({ ...grant, expiresAt: grant.createdAt + 30_000, appId: core.appId }, 201);
      }

      case route === "POST /recipients": {
        const input = parse(z.object({ waIds: z.array(z.string().regex(/^\+?\d{7,15}$/)).min(1), onWhatsApp: z.boolean() }), body);
        for (const raw of input.waIds) {
          const waId = raw.replace(/^\+/, "");
          if (input.onWhatsApp) core.state.notOnWhatsApp.delete(waId);
          else core.state.notOnWhatsApp.add(waId);
        }
        return ok({ notOnWhatsApp: [...core.state.notOnWhatsApp] });
      }
      case route === "POST /inbound":
        return ok(injectInbound(core, parse(inboundSchema, body)));
      case route === "POST /users": {
        const input = parse(userCreateSchema, body);
        return ok(resolveUser(core, input, input.name), 201);
      }
      case route === "POST /users/preferences": {
        const input = parse(userPreferenceSchema, body);
        const phone = phoneOr404(core, input.phoneNumberId);
        const user = resolveUser(core, input);
        const delivery = core.setMarketingPreference(phone, user, input.value);
        return ok({ user, delivery: { id: delivery.id, state: delivery.state } });
      }
      case route === "POST /users/marketing-limit": {
        const input = parse(marketingLimitSchema, body);
        const user = resolveUser(core, input);
        if (input.limited) core.state.marketingLimited.add(user.userId);
        else core.state.marketingLimited.delete(user.userId);
        return ok({ user, limited: input.limited });
      }
      case route === "GET /portfolio-limit": {
        const wabaId = query.get("wabaId") ?? masterWaba.id;
        if (!core.state.wabas.has(wabaId)) throw new ControlError(404, `No account ${wabaId}.`);
        return ok({ wabaId, ...core.portfolioUsage(wabaId) });
      }

      case route === "POST /webhooks/phone-number-quality": {
        const delivery = qualityUpdate(core, parse(qualitySchema, body));
        return ok({ delivery: { id: delivery.id, state: delivery.state } });
      }
      case route === "POST /webhooks/account-update": {
        const delivery = accountUpdate(core, parse(accountUpdateSchema, body));
        return ok({ delivery: { id: delivery.id, state: delivery.state } });
      }
      case route === "POST /webhooks/batch": {
        const input = parse(batchSchema, body);
        const target = { url: core.config.webhookUrl };
        const delivery = "rawBody" in input ? core.webhooks.sendRaw(target, input.rawBody) : core.webhooks.send(target, input.payload);
        return ok({ delivery: { id: delivery.id, state: delivery.state, body: delivery.body, signature: delivery.signature } });
      }
      case route === "POST /webhooks/flush":
        await core.tasks.idle();
        return ok({ deliveries: core.webhooks.list().length });
      case route === "GET /webhooks": {
        const since = Number(query.get("since") ?? 0);
        const field = query.get("field");
        const deliveries = core.webhooks.list().filter((d) => d.id > since && (!field || d.fields.includes(field)));
        return ok({ deliveries: deliveries.map(deliveryView) });
      }
      case route === "GET /messages": {
        const phoneNumberId = query.get("phoneNumberId");
        const to = query.get("to")?.replace(/^\+/, "");
        return ok({
          messages: core.state.sentMessages.filter((m) => (!phoneNumberId || m.phoneNumberId === phoneNumberId) && (!to || m.waId === to)),
        });
      }
      default:
        throw new ControlError(404, `No control route ${route}. See src/meta-simulator/README.md.`);
    }
  } catch (error) {
    if (error instanceof ControlError)
      return { status: error.status, body: { error: { message: error.message, ...(error.issues ? { issues: error.issues } : {}) } } };
    throw error;
  }
}
