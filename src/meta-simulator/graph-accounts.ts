/**
 * Webhook subscriptions and Embedded Signup tokens: /{waba-id}/subscribed_apps, /oauth/access_token,
 * /debug_token (Meta: solution-providers/manage-webhooks).
 */
import type { SimulatorCore } from "./core";
import { simulatorDefaults } from "./defaults";
import { graphErrors } from "./graph-errors";
import { ok, stringParam, type GraphRequest, type GraphResponse } from "./graph-request";
import type { SimToken } from "./state";

/** The code from the Embedded Signup popup lives 30 seconds (Meta: embedded-signup/onboarding-customers-as-a-tech-provider). */
export const oauthCodeLifetimeMs = 30_000;

function subscribedAccount(core: SimulatorCore, request: GraphRequest, wabaId: string) {
  const auth = core.authenticate(request.token);
  const waba = core.state.wabas.get(wabaId);
  if (!waba) throw graphErrors.objectNotFound(wabaId, request.method);
  core.authorize(auth, waba.id, wabaId, request.method, "whatsapp_business_management");
  return waba;
}

export function listSubscribedApps(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = subscribedAccount(core, request, wabaId);
  return ok({
    data: waba.subscribedApps.map((s) => ({
      whatsapp_business_api_data: {
        id: s.appId,
        link: `https://www.facebook.com/games/?app_id=${s.appId}`,
        name: s.appId === core.appId ? simulatorDefaults.appName : `App ${s.appId}`,
      },
      ...(s.overrideCallbackUri ? { override_callback_uri: s.overrideCallbackUri } : {}),
    })),
  });
}

/**
 * POST subscribes the calling app; a body with override_callback_uri sets an account-level callback, and a
 * POST without it removes the override again (Meta: solution-providers/manage-webhooks, webhooks/override). Meta would first verify the override URL with the
 * GET handshake; the simulator skips that.
 */
export function subscribeApp(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = subscribedAccount(core, request, wabaId);
  const override = stringParam(request, "override_callback_uri");
  if (override !== undefined) {
    if (override.length > 200) throw graphErrors.invalidParameter("override_callback_uri must be at most 200 characters.");
    if (!/^https?:\/\//.test(override)) throw graphErrors.invalidParameter("override_callback_uri must be an http(s) URL.");
    if (!stringParam(request, "verify_token")) throw graphErrors.invalidParameter("verify_token is required with override_callback_uri.");
  }
  const existing = waba.subscribedApps.find((s) => s.appId === core.appId);
  if (existing) existing.overrideCallbackUri = override ?? null;
  else waba.subscribedApps.push({ appId: core.appId, overrideCallbackUri: override ?? null });
  return ok({ success: true });
}

export function unsubscribeApp(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = subscribedAccount(core, request, wabaId);
  waba.subscribedApps = waba.subscribedApps.filter((s) => s.appId !== core.appId);
  return ok({ success: true });
}

/**
 * The Embedded Signup code exchange. Meta documents GET with the secret in the query string; the simulator also
 * accepts POST with a form body, which keeps the app secret out of URLs and logs.
 */
export function exchangeCode(core: SimulatorCore, request: GraphRequest): GraphResponse {
  const clientId = stringParam(request, "client_id");
  const clientSecret = stringParam(request, "client_secret");
  const code = stringParam(request, "code");
  if (!clientId) throw graphErrors.oauthMissing("client_id");
  if (clientId !== core.appId) throw graphErrors.oauthBadAppId();
  if (!clientSecret) throw graphErrors.oauthMissing("client_secret");
  if (clientSecret !== core.appSecretForOAuth) throw graphErrors.oauthBadSecret();
  if (!code) throw graphErrors.oauthMissing("code");
  const grant = core.state.oauthCodes.get(code);
  if (!grant) throw graphErrors.oauthCodeInvalid();
  if (grant.used) throw graphErrors.oauthCodeUsed();
  if (core.now() - grant.createdAt > oauthCodeLifetimeMs) throw graphErrors.oauthCodeExpired();
  grant.used = true;

  // A business-integration system-user token: it does not expire (Meta: solution-providers/manage-accounts shows expires_at 0 for those).
  const token: SimToken = {
    token: core.random.token("EAAG", 120),
    type: "SYSTEM_USER",
    userId: core.random.graphId(),
    wabaIds: [...grant.wabaIds],
    scopes: [...grant.scopes],
    issuedAt: core.now(),
    expiresAt: null,
    revoked: false,
  };
  core.state.tokens.set(token.token, token);
  // Whether `expires_in` is present for these tokens is unconfirmed (Meta: embedded-signup/onboarding-customers-as-a-tech-provider): the simulator leaves it out.
  return ok({ access_token: token.token, token_type: "bearer" });
}

const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));

/** GET /debug_token?input_token=...: needs a valid app token or access token as the caller (Meta: solution-providers/manage-accounts). */
export function debugToken(core: SimulatorCore, request: GraphRequest): GraphResponse {
  core.authenticate(request.token);
  const input = request.query.get("input_token") ?? stringParam(request, "input_token");
  if (!input) throw graphErrors.invalidParameter("The parameter input_token is required.");
  const found = core.lookupToken(input);
  const application = simulatorDefaults.appName;
  if (found instanceof Error) {
    const { code, subcode, title } = found.init;
    return ok({
      data: {
        app_id: core.appId,
        application,
        is_valid: false,
        scopes: [],
        error: { code, message: title, ...(subcode !== undefined ? { subcode } : {}) },
      },
    });
  }
  const targets = found.wabaIds === "*" ? [...core.state.wabas.keys()] : found.wabaIds;
  return ok({
    data: {
      app_id: core.appId,
      type: found.type,
      application,
      data_access_expires_at: seconds(found.expiresAt),
      expires_at: seconds(found.expiresAt),
      is_valid: true,
      issued_at: seconds(found.issuedAt),
      scopes: found.scopes,
      granular_scopes: found.scopes.map((scope) =>
        // Only the WhatsApp scopes are scoped to accounts; the newest onboarded account comes first (Meta: solution-providers/manage-accounts).
        scope.startsWith("whatsapp_") ? { scope, target_ids: targets } : { scope },
      ),
      ...(found.userId ? { user_id: found.userId } : {}),
    },
  });
}
