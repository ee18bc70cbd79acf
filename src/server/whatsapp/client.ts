/**
 * Typed client for the Graph API endpoints Recado uses. The same code talks to graph.facebook.com and to the
 * bundled simulator (src/meta-simulator); base URL and version come from configuration.
 *
 * Secrets: the access token travels only in the Authorization header, never in a URL, a log line or an error
 * message (errors name the operation as "METHOD /path" without the query string, and any secret that Meta
 * might echo is redacted). Meta's OAuth endpoints are the exception it imposes: the code exchange needs the
 * app secret, which goes in a POST form body rather than the documented query string, and debug_token takes
 * the inspected token as the `input_token` query parameter (the only documented way).
 *
 * Retries — each request has a policy:
 *  - "idempotent" (reads, subscribe/unsubscribe): retried on 5xx, transient codes, network errors and timeouts,
 *    with exponential backoff and jitter; also on throttling when Meta's hint is short (≤ maxThrottleWaitMs).
 *  - "not_idempotent" (sends, template creation, code exchange): retried only when the outcome is known to be
 *    "nothing happened": the connection was never made, or Meta itself answered with a transient error
 *    (5xx with its error envelope, codes 1/2/131000/131016/133004). NEVER after a timeout, a dropped connection
 *    or a bare gateway 5xx: Meta may already have accepted the message, and a blind retry would send it twice
 *    (a duplicate purchase order to a supplier is worse than a reported failure). Throttling (130429, 131056)
 *    is not retried either: the caller (a broadcast, a durable job) owns pacing and gets `retryAfterMs`.
 *  - "budgeted" (register/deregister): only when the connection was never made, since every call that reaches
 *    Meta spends one of the 10 allowed per number per 72 h (Meta: business-phone-numbers/registration).
 */
import type { z } from "zod";
import { AppError } from "@/server/errors";
import { GraphApiError, regainAccessMinutesFrom, type TransportFailure } from "@/server/whatsapp/errors";
import {
  createdTemplateSchema,
  debugTokenSchema,
  graphErrorEnvelopeSchema,
  oauthTokenSchema,
  pageOf,
  phoneNumberNodeSchema,
  sendResultSchema,
  subscribedAppsSchema,
  successSchema,
  templateFields,
  templateNodeSchema,
  toPhoneNumberInfo,
  toSentMessage,
  toTemplateInfo,
  toTokenDebugInfo,
  type PhoneNumberField,
  type PhoneNumberInfo,
  type SentMessage,
  type SubscribedApp,
  type TemplateCategory,
  type TemplateInfo,
  type TemplateStatus,
  type TokenDebugInfo,
} from "@/server/whatsapp/schemas";

export type RetryOptions = {
  /** total attempts including the first (default 3) */
  maxAttempts?: number;
  /** first backoff; doubles per attempt, with jitter (default 300 ms) */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** idempotent requests wait out a throttle when Meta's hint is at most this long (default 2 s) */
  maxThrottleWaitMs?: number;
};

export type GraphClientConfig = {
  baseUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** replaces global fetch, e.g. to instrument calls; tests use real HTTP */
  fetchImpl?: typeof fetch;
};

/** `to` (a phone number) when known, else `recipient` (a BSUID): Meta accepts either (Meta: business-scoped-user-ids). */
function addressee(to: string | undefined, recipient: string | undefined): { to: string } | { recipient: string } {
  if (to) return { to };
  if (recipient) return { recipient };
  throw new AppError("VALIDATION_FAILED", "A message needs a phone number (to) or a business-scoped user id (recipient).", {
    field: "to",
    expected: 'a phone number, e.g. "+34612345678", or a BSUID, e.g. "ES.13491208655302741918"',
  });
}

type RetryPolicy = "idempotent" | "not_idempotent" | "budgeted";

type RequestSpec<T extends z.ZodType> = {
  method: "GET" | "POST" | "DELETE";
  /** path segments after the version, e.g. [phoneNumberId, "messages"] */
  path: string[];
  query?: Record<string, string | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  /** "none" for the OAuth code exchange, which authenticates with the app secret */
  bearer?: string | "none";
  policy: RetryPolicy;
  schema: T;
  /** further secrets this request carries, kept out of errors */
  secrets?: string[];
};

export type TemplateBodyParameter = string | { name: string; text: string };

export type TemplateComponentInput =
  | { type: "HEADER"; format: "TEXT"; text: string; example?: string }
  | { type: "HEADER"; format: "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION" }
  | { type: "BODY"; text: string; examples?: string[] }
  | { type: "FOOTER"; text: string }
  | {
      type: "BUTTONS";
      buttons: (
        | { type: "QUICK_REPLY"; text: string }
        | { type: "URL"; text: string; url: string }
        | { type: "PHONE_NUMBER"; text: string; phoneNumber: string }
      )[];
    };

const connectErrorCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function transportFailureOf(error: unknown): TransportFailure {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return "timeout";
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" && connectErrorCodes.has(cause.code) ? "connect" : "network";
}

/** Graph ids are numeric; checking them keeps caller input from reshaping the request path. */
function graphId(value: string, name: string): string {
  if (!/^\d{1,32}$/.test(value)) {
    throw new AppError("VALIDATION_FAILED", `${name} must be a numeric Graph id, e.g. "106540352242922".`, { field: name });
  }
  return value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createGraphClient(config: GraphClientConfig) {
  if (!/^v\d+\.\d+$/.test(config.apiVersion)) throw new Error(`apiVersion must look like v25.0, got "${config.apiVersion}"`);
  if (!config.accessToken) throw new Error("accessToken is required");
  const root = new URL(config.baseUrl);
  const fetchImpl = config.fetchImpl ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;
  const maxAttempts = Math.max(1, config.retry?.maxAttempts ?? 3);
  const baseDelayMs = config.retry?.baseDelayMs ?? 300;
  const maxDelayMs = config.retry?.maxDelayMs ?? 5_000;
  const maxThrottleWaitMs = config.retry?.maxThrottleWaitMs ?? 2_000;

  function redact(text: string | undefined, secrets: string[]): string | undefined {
    if (text === undefined) return undefined;
    let out = text.replace(/\b(access_token|input_token|client_secret|code)=[^&\s"]+/g, "$1=[redacted]");
    for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join("[redacted]");
    return out;
  }

  function urlFor(spec: RequestSpec<z.ZodType>): URL {
    const base = root.pathname.replace(/\/+$/, "");
    const url = new URL(`${base}/${config.apiVersion}/${spec.path.map(encodeURIComponent).join("/")}`, root);
    for (const [key, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    return url;
  }

  async function attempt<T extends z.ZodType>(spec: RequestSpec<T>, operation: string, attemptNo: number): Promise<z.infer<T>> {
    const secrets = [config.accessToken, ...(spec.bearer && spec.bearer !== "none" ? [spec.bearer] : []), ...(spec.secrets ?? [])];
    const headers: Record<string, string> = { accept: "application/json" };
    const bearer = spec.bearer ?? config.accessToken;
    if (bearer !== "none") headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(spec.form).toString();
    }

    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(urlFor(spec), { method: spec.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      const transport = transportFailureOf(error);
      // Only a connection that was never made proves the request did not reach Meta.
      throw new GraphApiError({ operation, attempts: attemptNo, transport, outcome: transport === "connect" ? "rejected" : "unknown" });
    }

    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const envelope = graphErrorEnvelopeSchema.safeParse(parsed);
    if (!response.ok || envelope.success) {
      const e = envelope.success ? envelope.data.error : undefined;
      const details = typeof e?.error_data === "object" ? e.error_data.details : e?.error_data;
      throw new GraphApiError({
        operation,
        attempts: attemptNo,
        httpStatus: response.status,
        code: e?.code,
        subcode: e?.error_subcode,
        isTransient: e?.is_transient,
        regainAccessMinutes: regainAccessMinutesFrom(response.headers.get("x-business-use-case-usage")),
        // An answer in Meta's error format means Meta handled the request and refused it. A bare 5xx may come
        // from a gateway that lost an answer Meta did send.
        outcome: e ? "rejected" : response.status >= 500 ? "unknown" : "rejected",
        metaType: e?.type,
        metaMessage: redact(e?.message, secrets),
        metaDetails: redact(details, secrets),
        userTitle: redact(e?.error_user_title, secrets),
        userMessage: redact(e?.error_user_msg, secrets),
        fbtraceId: e?.fbtrace_id,
      });
    }

    const result = spec.schema.safeParse(parsed);
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      throw new GraphApiError(
        {
          operation,
          attempts: attemptNo,
          httpStatus: response.status,
          outcome: "rejected",
          parseIssues: `unexpected response shape: ${redact(issues, secrets)}`,
        },
        { kind: "permanent", appCode: "META_ERROR" },
      );
    }
    return result.data;
  }

  function retryDelay(policy: RetryPolicy, error: GraphApiError, attemptNo: number): number | null {
    if (error.transport === "connect") return backoff(attemptNo);
    if (policy === "budgeted") return null;
    // A wait hint longer than we are willing to block a caller (e.g. a minute of maintenance: 131057 during a
    // throughput upgrade, Meta: throughput) is left to the caller, for sends too: never retried within a second.
    const hint = error.retryAfterMs;
    if (hint !== undefined && hint > maxThrottleWaitMs) return null;
    if (policy === "not_idempotent")
      return error.kind === "retryable" && error.outcome === "rejected" ? Math.max(backoff(attemptNo), hint ?? 0) : null;
    if (error.kind === "retryable") return Math.max(backoff(attemptNo), hint ?? 0);
    if (error.kind === "throttled" && hint !== undefined) return hint;
    return null;
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries from many callers spread out. */
  function backoff(attemptNo: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNo - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async function request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.infer<T>> {
    const operation = `${spec.method} /${spec.path.join("/")}`;
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        return await attempt(spec, operation, attemptNo);
      } catch (error) {
        if (!(error instanceof GraphApiError) || attemptNo >= maxAttempts) throw error;
        const delay = retryDelay(spec.policy, error, attemptNo);
        if (delay === null) throw error;
        await sleep(delay);
      }
    }
  }

  /** Graph cursor paging (Meta: business-phone-numbers/phone-numbers): follow `after` while `paging.next` is present. Never follows `next` itself:
   * Meta's links can carry the access token in their query string, and the host is not ours to choose. */
  async function allPages<T extends z.ZodType>(path: string[], item: T, query: Record<string, string | undefined>): Promise<z.infer<T>[]> {
    const items: z.infer<T>[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await request({ method: "GET", path, query: { ...query, after }, schema: pageOf(item), policy: "idempotent" });
      items.push(...page.data);
      after = page.paging?.cursors?.after;
      if (!page.paging?.next || !after || seen.has(after)) return items;
      seen.add(after);
    }
  }

  const withId = (fields: readonly string[] | undefined) =>
    fields && fields.length > 0 ? [...new Set(["id", ...fields])].join(",") : undefined;

  return {
    /** The same client for another token (e.g. a bakery's own account after Embedded Signup). */
    withToken(accessToken: string) {
      return createGraphClient({ ...config, accessToken });
    },

    /** A phone number node; without `fields` Meta answers its default shape (Meta: business-phone-numbers/phone-numbers). */
    async getPhoneNumber(phoneNumberId: string, fields?: readonly PhoneNumberField[]): Promise<PhoneNumberInfo> {
      const node = await request({
        method: "GET",
        path: [graphId(phoneNumberId, "phoneNumberId")],
        query: { fields: withId(fields) },
        schema: phoneNumberNodeSchema,
        policy: "idempotent",
      });
      return toPhoneNumberInfo(node);
    },

    /** Every number of an account, all pages. */
    async listPhoneNumbers(
      wabaId: string,
      options: { fields?: readonly PhoneNumberField[]; pageSize?: number } = {},
    ): Promise<PhoneNumberInfo[]> {
      const nodes = await allPages([graphId(wabaId, "wabaId"), "phone_numbers"], phoneNumberNodeSchema, {
        fields: withId(options.fields),
        limit: String(options.pageSize ?? 100),
      });
      return nodes.map(toPhoneNumberInfo);
    },

    /** Meta: business-phone-numbers/registration. Budgeted: each call that reaches Meta counts toward 10 per number per 72 h, so it is never repeated here. */
    async registerPhoneNumber(phoneNumberId: string, options: { pin: string; dataLocalizationRegion?: string }): Promise<void> {
      if (!/^\d{6}$/.test(options.pin))
        throw new AppError("VALIDATION_FAILED", "The two-step verification PIN must be 6 digits.", { field: "pin" });
      await request({
        method: "POST",
        path: [graphId(phoneNumberId, "phoneNumberId"), "register"],
        json: {
          messaging_product: "whatsapp",
          pin: options.pin,
          ...(options.dataLocalizationRegion ? { data_localization_region: options.dataLocalizationRegion } : {}),
        },
        schema: successSchema,
        policy: "budgeted",
        secrets: [options.pin],
      });
    },

    async deregisterPhoneNumber(phoneNumberId: string): Promise<void> {
      await request({
        method: "POST",
        path: [graphId(phoneNumberId, "phoneNumberId"), "deregister"],
        schema: successSchema,
        policy: "budgeted",
      });
    },

    /** Subscribes this app to the account's webhooks (Meta: solution-providers/manage-webhooks); idempotent on Meta's side. */
    async subscribeApp(wabaId: string, options: { overrideCallbackUri?: string; verifyToken?: string } = {}): Promise<void> {
      await request({
        method: "POST",
        path: [graphId(wabaId, "wabaId"), "subscribed_apps"],
        json: options.overrideCallbackUri
          ? { override_callback_uri: options.overrideCallbackUri, verify_token: options.verifyToken }
          : undefined,
        schema: successSchema,
        policy: "idempotent",
        secrets: options.verifyToken ? [options.verifyToken] : [],
      });
    },

    async listSubscribedApps(wabaId: string): Promise<SubscribedApp[]> {
      const result = await request({
        method: "GET",
        path: [graphId(wabaId, "wabaId"), "subscribed_apps"],
        schema: subscribedAppsSchema,
        policy: "idempotent",
      });
      return result.data.map((app) => ({
        ...(app.whatsapp_business_api_data?.id ? { appId: app.whatsapp_business_api_data.id } : {}),
        ...(app.whatsapp_business_api_data?.name ? { name: app.whatsapp_business_api_data.name } : {}),
        ...(app.whatsapp_business_api_data?.link ? { link: app.whatsapp_business_api_data.link } : {}),
        ...(app.override_callback_uri ? { overrideCallbackUri: app.override_callback_uri } : {}),
      }));
    },

    async unsubscribeApp(wabaId: string): Promise<void> {
      await request({
        method: "DELETE",
        path: [graphId(wabaId, "wabaId"), "subscribed_apps"],
        schema: successSchema,
        policy: "idempotent",
      });
    },

    /**
     * Embedded Signup (Meta: embedded-signup/onboarding-customers-as-a-tech-provider): the 30-second, single-use code for a business token. Not idempotent: a retry after
     * a lost answer would only meet "code has been used".
     */
    async exchangeCodeForToken({
      appId,
      appSecret,
      code,
    }: {
      appId: string;
      appSecret: string;
      code: string;
    }): Promise<{ accessToken: string; tokenType?: string; expiresInSeconds?: number }> {
      const result = await request({
        method: "POST",
        path: ["oauth", "access_token"],
        form: { client_id: appId, client_secret: appSecret, code },
        bearer: "none",
        schema: oauthTokenSchema,
        policy: "not_idempotent",
        secrets: [appSecret, code],
      });
      return {
        accessToken: result.access_token,
        ...(result.token_type ? { tokenType: result.token_type } : {}),
        ...(result.expires_in !== undefined ? { expiresInSeconds: result.expires_in } : {}),
      };
    },

    /**
     * Inspects a token (Meta: solution-providers/manage-accounts). Authenticated with the app token `APP_ID|APP_SECRET` when `app` is given (what
     * Meta recommends for inspecting tokens of onboarded businesses), otherwise with this client's token.
     * An invalid input token is an answer (`isValid: false` with `error`), not an exception.
     */
    async debugToken(inputToken: string, app?: { appId: string; appSecret: string }): Promise<TokenDebugInfo> {
      const appToken = app ? `${app.appId}|${app.appSecret}` : undefined;
      const result = await request({
        method: "GET",
        path: ["debug_token"],
        query: { input_token: inputToken },
        ...(appToken ? { bearer: appToken } : {}),
        schema: debugTokenSchema,
        policy: "idempotent",
        secrets: [inputToken, ...(app ? [app.appSecret] : [])],
      });
      return toTokenDebugInfo(result);
    },

    async sendTextMessage({
      phoneNumberId,
      to,
      recipient,
      body,
      previewUrl = false,
      replyToMessageId,
      bizOpaqueCallbackData,
    }: {
      phoneNumberId: string;
      /** the phone number; or, for a user known only by BSUID, `recipient` (Meta: business-scoped-user-ids) */
      to?: string;
      recipient?: string;
      body: string;
      previewUrl?: boolean;
      replyToMessageId?: string;
      /** echoed back in status webhooks (Meta: messages/send-messages) */
      bizOpaqueCallbackData?: string;
    }): Promise<SentMessage> {
      const result = await request({
        method: "POST",
        path: [graphId(phoneNumberId, "phoneNumberId"), "messages"],
        json: {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          ...addressee(to, recipient),
          type: "text",
          text: { preview_url: previewUrl, body },
          ...(replyToMessageId ? { context: { message_id: replyToMessageId } } : {}),
          ...(bizOpaqueCallbackData ? { biz_opaque_callback_data: bizOpaqueCallbackData } : {}),
        },
        schema: sendResultSchema,
        policy: "not_idempotent",
      });
      return toSentMessage(result);
    },

    /** Meta: messages/send-messages: positional body parameters in placeholder order, or `{ name, text }` for named templates. */
    async sendTemplateMessage({
      phoneNumberId,
      to,
      recipient,
      templateName,
      languageCode,
      bodyParameters = [],
      bizOpaqueCallbackData,
    }: {
      phoneNumberId: string;
      /** the phone number; or, for a user known only by BSUID, `recipient` (Meta: business-scoped-user-ids) */
      to?: string;
      recipient?: string;
      templateName: string;
      languageCode: string;
      bodyParameters?: readonly TemplateBodyParameter[];
      bizOpaqueCallbackData?: string;
    }): Promise<SentMessage> {
      const parameters = bodyParameters.map((p) =>
        typeof p === "string" ? { type: "text", text: p } : { type: "text", parameter_name: p.name, text: p.text },
      );
      const result = await request({
        method: "POST",
        path: [graphId(phoneNumberId, "phoneNumberId"), "messages"],
        json: {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          ...addressee(to, recipient),
          type: "template",
          template: {
            name: templateName,
            language: { code: languageCode },
            ...(parameters.length > 0 ? { components: [{ type: "body", parameters }] } : {}),
          },
          ...(bizOpaqueCallbackData ? { biz_opaque_callback_data: bizOpaqueCallbackData } : {}),
        },
        schema: sendResultSchema,
        policy: "not_idempotent",
      });
      return toSentMessage(result);
    },

    /** Meta: messages/mark-message-as-read: marks an inbound message (and the ones before it) as read. */
    async markMessageRead(phoneNumberId: string, messageId: string): Promise<void> {
      await request({
        method: "POST",
        path: [graphId(phoneNumberId, "phoneNumberId"), "messages"],
        json: { messaging_product: "whatsapp", status: "read", message_id: messageId },
        schema: successSchema,
        policy: "idempotent",
      });
    },

    /** Every template of an account, all pages; `status` filters on Meta's side (e.g. "APPROVED"). */
    async listMessageTemplates(wabaId: string, options: { status?: TemplateStatus; pageSize?: number } = {}): Promise<TemplateInfo[]> {
      const nodes = await allPages([graphId(wabaId, "wabaId"), "message_templates"], templateNodeSchema, {
        fields: templateFields.join(","),
        status: options.status,
        limit: String(options.pageSize ?? 100),
      });
      return nodes.map(toTemplateInfo);
    },

    /** Meta: templates/overview: created PENDING; the review outcome arrives as a message_template_status_update webhook. */
    async createMessageTemplate(input: {
      wabaId: string;
      name: string;
      language: string;
      category: TemplateCategory;
      components: readonly TemplateComponentInput[];
      parameterFormat?: "POSITIONAL" | "NAMED";
    }): Promise<{ id: string; status: TemplateStatus; category?: TemplateCategory }> {
      const components = input.components.map((c) => {
        switch (c.type) {
          case "HEADER":
            return "text" in c
              ? { type: "HEADER", format: "TEXT", text: c.text, ...(c.example ? { example: { header_text: [c.example] } } : {}) }
              : { type: "HEADER", format: c.format };
          case "BODY":
            return { type: "BODY", text: c.text, ...(c.examples?.length ? { example: { body_text: [c.examples] } } : {}) };
          case "FOOTER":
            return { type: "FOOTER", text: c.text };
          case "BUTTONS":
            return {
              type: "BUTTONS",
              buttons: c.buttons.map((b) =>
                b.type === "URL"
                  ? { type: "URL", text: b.text, url: b.url }
                  : b.type === "PHONE_NUMBER"
                    ? { type: "PHONE_NUMBER", text: b.text, phone_number: b.phoneNumber }
                    : { type: "QUICK_REPLY", text: b.text },
              ),
            };
        }
      });
      const result = await request({
        method: "POST",
        path: [graphId(input.wabaId, "wabaId"), "message_templates"],
        json: {
          name: input.name,
          language: input.language,
          category: input.category,
          components,
          ...(input.parameterFormat ? { parameter_format: input.parameterFormat } : {}),
        },
        schema: createdTemplateSchema,
        policy: "not_idempotent",
      });
      return {
        id: result.id,
        status: result.status.toUpperCase(),
        ...(result.category ? { category: result.category.toUpperCase() } : {}),
      };
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
