/**
 * POST /{phone-number-id}/messages (Meta: messages/send-messages, throughput, about-the-platform, messages/send-messages).
 *
 * Checks run in this order; Meta says the same bad request can fail with different codes depending on which
 * validation runs first, so clients must not depend on the order: auth → number registered and not banned →
 * request shape (`to` or `recipient`) → template existence/approval/parameter count → 24 h window for free-form →
 * throughput upgrade in progress (131057) → throughput (130429) → pair rate (131056) → portfolio messaging limit.
 *
 * 131026 (recipient not on WhatsApp): the send is *accepted* (200 with a wamid) and then fails with a `failed`
 * status webhook carrying errors[{code: 131026}]. The reference says 200 only means accepted and delivery
 * comes via status webhooks (Meta: messages/send-messages, send-messages page), and lists 131026 among errors that arrive in
 * `statuses[].errors[]` (Meta: graph-api/guides/error-handling, webhooks/reference/messages/status). `undeliverableMode: "sync"` answers 131026 synchronously instead, for
 * clients that want to exercise that path too.
 */
import { bsuidPattern, type SimulatorCore } from "./core";
import { graphErrors } from "./graph-errors";
import { ok, stringParam, type GraphRequest, type GraphResponse } from "./graph-request";
import { bodyParameterCount, type SimPhoneNumber, type SimSentMessage, type SimTemplate, type SimUser } from "./state";

const otherMessageTypes = ["image", "audio", "video", "document", "location", "contacts", "interactive", "reaction", "sticker"];
const maxTextLength = 4096;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** JSON sub-objects may also arrive as JSON strings in a form-encoded body. */
function objectParam(request: GraphRequest, name: string): Record<string, unknown> | undefined {
  const value = request.params[name];
  if (typeof value === "string") {
    try {
      return asRecord(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return asRecord(value);
}

/** Meta: messages/send-messages: "+", "-", "(", ")" and spaces are allowed in `to`; the wa_id is the digits. */
function waIdFor(to: string): string {
  const digits = to.replace(/[\s()+-]/g, "");
  if (!/^\d{7,15}$/.test(digits)) throw graphErrors.invalidValue(`The parameter to (${to}) is not a valid phone number.`);
  return digits;
}

function checkCanSend(phone: SimPhoneNumber): void {
  if (phone.status === "BANNED" || phone.status === "DELETED") throw graphErrors.accountLocked();
  if (phone.platformType !== "CLOUD_API" || phone.status === "PENDING" || phone.status === "DISCONNECTED")
    throw graphErrors.notRegistered();
}

type TemplateSend = { template: SimTemplate; bodyParameters: string[] };

function resolveTemplate(core: SimulatorCore, phone: SimPhoneNumber, request: GraphRequest): TemplateSend {
  const payload = objectParam(request, "template");
  if (!payload) throw graphErrors.missingParameter("template");
  const name = typeof payload.name === "string" ? payload.name : undefined;
  if (!name) throw graphErrors.missingParameter("template.name");
  const language = asRecord(payload.language)?.code;
  if (typeof language !== "string" || language === "") throw graphErrors.missingParameter("template.language.code");

  // Meta: messages/send-messages: the language code must match the template's language exactly.
  const template = [...core.state.templates.values()].find((t) => t.wabaId === phone.wabaId && t.name === name && t.language === language);
  if (!template) throw graphErrors.templateNotFound(name, language);
  if (template.status === "PAUSED") throw graphErrors.templatePaused(name);
  if (template.status === "DISABLED") throw graphErrors.templateDisabled(name);
  if (template.status !== "APPROVED") throw graphErrors.templateNotApproved(name, template.status);

  const components = Array.isArray(payload.components) ? payload.components.map(asRecord) : [];
  const bodyParameters: string[] = [];
  for (const component of components) {
    if (String(component?.type ?? "").toLowerCase() !== "body") continue;
    const parameters = Array.isArray(component?.parameters) ? component.parameters.map(asRecord) : [];
    for (const parameter of parameters) {
      const text = parameter?.text ?? asRecord(parameter?.currency)?.fallback_value ?? asRecord(parameter?.date_time)?.fallback_value;
      bodyParameters.push(typeof text === "string" ? text : "");
    }
  }
  const expected = bodyParameterCount(template);
  if (bodyParameters.length !== expected) throw graphErrors.templateParamCount(expected, bodyParameters.length);
  return { template, bodyParameters };
}

/** Meta: messages/mark-message-as-read: `{"status":"read","message_id":...}` on the same endpoint marks an inbound message read. */
function markAsRead(core: SimulatorCore, phone: SimPhoneNumber, request: GraphRequest): GraphResponse {
  const messageId = stringParam(request, "message_id");
  if (!messageId) throw graphErrors.missingParameter("message_id");
  const inbound = core.state.inboundMessages.get(messageId);
  if (!inbound || inbound.phoneNumberId !== phone.id) throw graphErrors.unknownMessageId();
  return ok({ success: true });
}

export function sendMessage(core: SimulatorCore, request: GraphRequest, phoneNumberId: string): GraphResponse {
  const auth = core.authenticate(request.token);
  const phone = core.phoneNumber(phoneNumberId, request.method);
  core.authorize(auth, phone.wabaId, phoneNumberId, request.method, "whatsapp_business_messaging");
  if (stringParam(request, "messaging_product") !== "whatsapp") {
    throw graphErrors.invalidParameter('The parameter messaging_product is required and must be "whatsapp".');
  }
  checkCanSend(phone);
  if (stringParam(request, "status") === "read") return markAsRead(core, phone, request);

  // Meta: business-scoped-user-ids: `recipient` (a BSUID) may stand in for `to`; when both are given, `to` wins.
  const to = stringParam(request, "to");
  const recipient = stringParam(request, "recipient");
  if (!to && !recipient) throw graphErrors.missingParameter("to");
  let user: SimUser;
  if (to) {
    user = core.userByPhone(waIdFor(to));
  } else {
    if (!recipient || !bsuidPattern.test(recipient)) throw graphErrors.invalidRecipient(recipient ?? "");
    user = core.state.users.get(recipient) ?? { userId: recipient, waId: null, username: null, name: "" };
  }
  const knownUser = core.state.users.has(user.userId);
  const userKey = core.userKey(user);
  // The API treats a missing `type` as text.
  const type = stringParam(request, "type") ?? "text";

  let text: string | null = null;
  let templateSend: TemplateSend | null = null;
  if (type === "text") {
    const body = objectParam(request, "text")?.body;
    if (typeof body !== "string" || body === "") throw graphErrors.missingParameter("text.body");
    if (body.length > maxTextLength) throw graphErrors.invalidParameter(`text.body is longer than ${maxTextLength} characters.`);
    text = body;
  } else if (type === "template") {
    templateSend = resolveTemplate(core, phone, request);
  } else if (otherMessageTypes.includes(type)) {
    if (!objectParam(request, type)) throw graphErrors.missingParameter(type);
  } else {
    throw graphErrors.invalidParameter(`Param type must be one of {text, template, ${otherMessageTypes.join(", ")}}.`);
  }

  // Meta: messages/send-messages: only templates may open a conversation; anything else needs the user to have written in the last 24 h.
  const windowOpen = core.windowOpen(phone.id, userKey);
  if (!templateSend && !windowOpen) throw graphErrors.windowClosed();
  if (core.inMaintenance(phone)) throw graphErrors.maintenance();
  if (core.throughputExceeded(phone)) throw graphErrors.throughput();
  if (!core.takePairToken(phone.id, userKey)) throw graphErrors.pairRate();
  const undeliverable = !knownUser || (user.waId !== null && core.state.notOnWhatsApp.has(user.waId));
  if (core.config.undeliverableMode === "sync" && undeliverable) throw graphErrors.undeliverable();
  core.takePortfolioQuota(phone.wabaId, user, templateSend !== null && !windowOpen);

  core.recordThroughput(phone);
  const now = core.now();
  const category = templateSend?.template.category ?? null;
  const pricing = core.pricingFor(phone.id, user, category);
  const failure = undeliverable ? "undeliverable" : category === "MARKETING" ? core.marketingFailure(user) : null;
  const message: SimSentMessage = {
    id: core.random.wamid(user.waId ?? user.userId),
    phoneNumberId: phone.id,
    wabaId: phone.wabaId,
    to: to ?? user.userId,
    // Sent to a BSUID, Meta does not reveal the number of a user who set a username (Meta: business-scoped-user-ids).
    waId: (to || !user.username ? user.waId : null) ?? user.userId,
    userId: user.userId,
    type,
    text,
    template: templateSend
      ? { name: templateSend.template.name, language: templateSend.template.language, bodyParameters: templateSend.bodyParameters }
      : null,
    bizOpaqueCallbackData: stringParam(request, "biz_opaque_callback_data") ?? null,
    acceptedAt: now,
    pricing,
    failure,
    status: "accepted",
    statusHistory: [{ status: "accepted", at: now }],
  };
  core.state.sentMessages.push(message);
  core.scheduleStatuses(message);
  return ok({
    messaging_product: "whatsapp",
    // Meta: business-scoped-user-ids: wa_id answers a send to a phone number, user_id a send to a BSUID.
    contacts: [to ? { input: to, wa_id: user.waId } : { input: user.userId, user_id: user.userId }],
    // Meta: messages/send-messages: message_status appears on template sends (pacing); "accepted" when not held.
    messages: [{ id: message.id, ...(templateSend ? { message_status: "accepted" } : {}) }],
  });
}
