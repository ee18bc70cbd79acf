/**
 * A typed wrapper over the simulator's /__sim control API (README.md), for tests, e2e specs, demo scripts and
 * benchmarks that run the simulator in another process. Plain fetch; nothing here is part of Meta's API.
 */
import type { FaultConfig, FaultStep, SimulatorConfig } from "./core";
import type { SimPhoneNumber, SimSentMessage, SimTemplate, SimToken, SimUser } from "./state";
import type { WebhookDelivery } from "./webhooks";

export type PhoneNumberInput = Partial<
  Omit<
    SimPhoneNumber,
    | "nameReview"
    | "registrationCalls"
    | "registrationBlockedUntil"
    | "registeredThroughput"
    | "lastOnboardedTime"
    | "dataLocalizationRegion"
  >
> & {
  registered?: boolean;
  throughput?: "STANDARD" | "HIGH";
  nameReview?: { afterAttempts?: number; afterSeconds?: number } | null;
  resetRegistrationLimit?: boolean;
};

/** A user by phone number (`from`), or a username user without one (`username`, optionally with its BSUID `userId`). */
export type UserRef = { from?: string; userId?: string; username?: string };

export type InboundInput = UserRef & {
  name?: string;
  text?: string;
  button?: { payload: string; text: string };
  contextMessageId?: string;
  id?: string;
  timestamp?: number;
  /** from a click-to-WhatsApp ad: a `referral` and a 72 h free entry point window */
  entryPoint?: boolean;
};

export type WebhookDeliveryView = WebhookDelivery & { payload: unknown };

export type ConfigInput = Partial<{
  webhookUrl: string | null;
  statusDelaysMs: Partial<SimulatorConfig["statusDelaysMs"]>;
  webhookMode: SimulatorConfig["webhookMode"];
  webhookRetry: Partial<SimulatorConfig["webhookRetry"]>;
  pairRateLimit: Partial<SimulatorConfig["pairRateLimit"]>;
  throughputMps: Partial<SimulatorConfig["throughputMps"]>;
  undeliverableMode: SimulatorConfig["undeliverableMode"];
  templateReviewMs: number | null;
  marketingLimitShare: number;
  portfolioMessagingLimit: number | null;
}>;

export type TemplateRef = { templateId?: string; wabaId?: string; name?: string; language?: string };

export class SimulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "SimulatorControlError";
  }
}

export function simulatorControl(baseUrl: string) {
  const root = `${baseUrl.replace(/\/+$/, "")}/__sim`;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { error?: { message?: string } };
    if (!response.ok)
      throw new SimulatorControlError(response.status, json.error?.message ?? `HTTP ${response.status} on ${method} ${path}`);
    return json;
  }

  return {
    reset: () => call<{ ok: true }>("POST", "/reset"),
    state: () => call<Record<string, unknown>>("GET", "/state"),
    configure: (config: ConfigInput) => call<SimulatorConfig>("PUT", "/config", config),
    advanceClock: (advanceMs: number) => call<{ now: number }>("POST", "/clock", { advanceMs }),
    setFaults: (faults: Partial<Omit<FaultConfig, "next">> & { next?: FaultStep[] }) => call<FaultConfig>("POST", "/faults", faults),
    clearFaults: () => call<FaultConfig>("DELETE", "/faults"),
    requestCounts: () => call<{ total: number; byPath: Record<string, number> }>("GET", "/requests"),
    clearRequestCounts: () => call<{ ok: true }>("DELETE", "/requests"),

    createPhoneNumber: (input: PhoneNumberInput & { displayPhoneNumber: string }) => call<SimPhoneNumber>("POST", "/phone-numbers", input),
    updatePhoneNumber: (id: string, input: PhoneNumberInput) =>
      call<SimPhoneNumber>("PATCH", `/phone-numbers/${encodeURIComponent(id)}`, input),
    createTemplate: (input: Partial<Omit<SimTemplate, "parameterFormat">> & { name: string; language: string; bodyText?: string }) =>
      call<SimTemplate>("POST", "/templates", input),
    setTemplateStatus: (input: {
      templateId?: string;
      wabaId?: string;
      name?: string;
      language?: string;
      event: string;
      reason?: string | null;
    }) => call<{ template: SimTemplate; delivery: { id: number; state: string } }>("POST", "/templates/status", input),

    createToken: (
      input: {
        token?: string;
        type?: "SYSTEM_USER" | "USER";
        wabaIds?: string[] | "*";
        scopes?: string[];
        expiresInSeconds?: number | null;
      } = {},
    ) => call<SimToken>("POST", "/tokens", input),
    expireToken: (token: string) => call<{ ok: true }>("POST", "/tokens/expire", { token }),
    revokeToken: (token: string) => call<{ ok: true }>("POST", "/tokens/revoke", { token }),
    createOAuthCode: (
      input: {
        code?: string;
        wabaId?: string;
        wabaIds?: string[];
        phoneNumberId?: string;
        phoneNumberIds?: string[];
        scopes?: string[];
      } = {},
    ) =>
      call<{ code: string; expiresAt: number; wabaIds: string[]; phoneNumberIds: string[]; scopes: string[]; appId: string }>(
        "POST",
        "/oauth-codes",
        input,
      ),

    setRecipients: (waIds: string[], onWhatsApp: boolean) =>
      call<{ notOnWhatsApp: string[] }>("POST", "/recipients", { waIds, onWhatsApp }),
    inbound: (phoneNumberId: string, messages: InboundInput | InboundInput[]) =>
      call<{ messageIds: string[]; delivery: { id: number; state: string; skippedReason: string | null } }>(
        "POST",
        "/inbound",
        Array.isArray(messages) ? { phoneNumberId, messages } : { phoneNumberId, ...messages },
      ),
    createUser: (input: UserRef & { name?: string }) => call<SimUser>("POST", "/users", input),
    setMarketingPreference: (input: UserRef & { phoneNumberId: string; value: "stop" | "resume" }) =>
      call<{ user: SimUser; delivery: { id: number; state: string } }>("POST", "/users/preferences", input),
    setMarketingLimited: (input: UserRef & { limited: boolean }) =>
      call<{ user: SimUser; limited: boolean }>("POST", "/users/marketing-limit", input),
    portfolioLimit: (wabaId?: string) =>
      call<{ wabaId: string; limit: number | null; used: number }>("GET", `/portfolio-limit${wabaId ? `?wabaId=${wabaId}` : ""}`),
    startThroughputUpgrade: (phoneNumberId: string, durationMs?: number) =>
      call<{ phoneNumberId: string; maintenanceUntil: number }>(
        "POST",
        `/phone-numbers/${encodeURIComponent(phoneNumberId)}/throughput-upgrade`,
        durationMs === undefined ? {} : { durationMs },
      ),
    setTemplateCategory: (input: TemplateRef & { newCategory: SimTemplate["category"] }) =>
      call<{ template: SimTemplate; delivery: { id: number; state: string } }>("POST", "/templates/category", input),
    setTemplateQuality: (input: TemplateRef & { newQualityScore: SimTemplate["qualityScore"] }) =>
      call<{ template: SimTemplate; delivery: { id: number; state: string } }>("POST", "/templates/quality", input),
    qualityUpdate: (input: {
      phoneNumberId: string;
      event: string;
      qualityRating?: SimPhoneNumber["qualityRating"];
      currentLimit?: string;
      oldLimit?: string;
    }) => call<{ delivery: { id: number; state: string } }>("POST", "/webhooks/phone-number-quality", input),
    accountUpdate: (input: { wabaId?: string; phoneNumberId?: string; event: string; info?: Record<string, unknown> }) =>
      call<{ delivery: { id: number; state: string } }>("POST", "/webhooks/account-update", input),
    sendBatch: (input: { payload: Record<string, unknown> } | { rawBody: string }) =>
      call<{ delivery: { id: number; state: string; body: string; signature: string } }>("POST", "/webhooks/batch", input),
    flush: () => call<{ deliveries: number }>("POST", "/webhooks/flush"),
    webhooks: async (filter: { since?: number; field?: string } = {}) => {
      const query = new URLSearchParams();
      if (filter.since !== undefined) query.set("since", String(filter.since));
      if (filter.field) query.set("field", filter.field);
      return (await call<{ deliveries: WebhookDeliveryView[] }>("GET", `/webhooks?${query.toString()}`)).deliveries;
    },
    messages: async (filter: { phoneNumberId?: string; to?: string } = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
      return (await call<{ messages: SimSentMessage[] }>("GET", `/messages?${query.toString()}`)).messages;
    },
  };
}

export type SimulatorControl = ReturnType<typeof simulatorControl>;
