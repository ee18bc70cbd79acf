/**
 * Embedded Signup: a bakery connects its own WhatsApp Business Account (https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-customers-as-a-tech-provider,
 * Meta: solution-providers/manage-accounts). code → token exchange → find the number → validate the token (debug_token must grant the WABA) →
 * store the account (token encrypted) and the number → subscribe the app to the WABA's webhooks → register per
 * the decision rule → health check. A number left unregistered is flagged for re-authorization; running the
 * signup again with the same number clears the flag; another number is refused.
 */
import type { Db } from "@/server/db";
import type { Actor } from "@/server/audit/audit";
import { writeAudit } from "@/server/audit/audit";
import { encryptSecret } from "@/server/accounts/secrets";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { getGraphClient } from "@/server/accounts/graph";
import { checkNumberHealth } from "@/server/health/health";
import { phoneNumberColumns, phoneNumberSyncFields } from "@/server/health/fields";
import { attemptRegistration, type RegistrationAttemptResult } from "@/server/registration/attempts";
import { isGraphApiError, type GraphClient } from "@/server/whatsapp";

export type SignupInput = {
  /** the FB.login `code` (lives 30 seconds, single use) */
  code: string;
  /** from the popup's session message; discovered from the token when absent */
  wabaId?: string;
  phoneNumberId?: string;
};

export type SignupResult = {
  status: "connected" | "pending";
  reauthorized: boolean;
  phoneNumberId: string;
  displayPhoneNumber: string;
  registration: RegistrationAttemptResult;
  message: string;
};

const MANAGEMENT = "whatsapp_business_management";

async function exchangeCode(graph: GraphClient, code: string): Promise<string> {
  const env = getEnv();
  try {
    const { accessToken } = await graph.exchangeCodeForToken({ appId: env.META_APP_ID, appSecret: env.META_APP_SECRET, code });
    return accessToken;
  } catch (error) {
    if (!isGraphApiError(error)) throw error;
    // Meta: embedded-signup/onboarding-customers-as-a-tech-provider: the code lives 30 seconds and can be used once (36007 expired, 36009 used).
    const reason = error.metaSubcode === 36007 ? "code_expired" : error.metaSubcode === 36009 ? "code_used" : "code_refused";
    const message = {
      code_expired: "Meta's sign-up code expired (it is valid for 30 seconds). Start “Connect WhatsApp” again.",
      code_used: "This sign-up code was already used. Start “Connect WhatsApp” again.",
      code_refused: "Meta refused the sign-up code. Start “Connect WhatsApp” again.",
    }[reason];
    throw new AppError("VALIDATION_FAILED", message, { field: "code", reason, metaCode: error.metaCode, metaSubcode: error.metaSubcode });
  }
}

/** Meta: solution-providers/manage-accounts: the token must be valid and its whatsapp_business_management scope must name the WABA. */
async function validatedWabaId(graph: GraphClient, token: string, claimedWabaId: string | undefined): Promise<string> {
  const env = getEnv();
  const info = await graph.debugToken(token, { appId: env.META_APP_ID, appSecret: env.META_APP_SECRET });
  if (!info.isValid)
    throw new AppError("TOKEN_EXPIRED", "Meta says the new token is not valid. Start “Connect WhatsApp” again.", {
      reason: "token_invalid",
    });
  const granted = info.granularScopes.find((s) => s.scope === MANAGEMENT)?.targetIds ?? [];
  // The newest onboarded WABA comes first (Meta: solution-providers/manage-accounts).
  const wabaId = claimedWabaId ?? granted[0];
  if (!wabaId || !granted.includes(wabaId)) {
    throw new AppError(
      "PERMISSION_DENIED",
      "The permission you gave Recado does not include your WhatsApp Business Account. Start “Connect WhatsApp” again and allow access to the account.",
      {
        reason: "waba_not_in_token_scope",
        wabaId: wabaId ?? null,
      },
    );
  }
  return wabaId;
}

export async function completeEmbeddedSignup({
  db,
  tenantId,
  actor,
  input,
}: {
  db: Db;
  tenantId: string;
  actor: Actor;
  input: SignupInput;
}): Promise<SignupResult> {
  const master = getGraphClient();
  const token = await exchangeCode(master, input.code);
  const graph = master.withToken(token);
  const wabaId = await validatedWabaId(master, token, input.wabaId);

  // Find the number in that account (listing proves it belongs to the WABA).
  const numbers = await graph.listPhoneNumbers(wabaId, { fields: [...phoneNumberSyncFields] });
  const info = input.phoneNumberId ? numbers.find((n) => n.id === input.phoneNumberId) : numbers.length === 1 ? numbers[0] : undefined;
  if (!info) {
    throw new AppError(
      "NOT_FOUND",
      input.phoneNumberId
        ? "That phone number is not in the WhatsApp account you connected."
        : "Pick the phone number to connect: the account has none or several.",
      {
        wabaId,
        phoneNumberId: input.phoneNumberId ?? null,
        numbersInAccount: numbers.length,
      },
    );
  }

  // Re-authorization rules: a bakery keeps its own number; another bakery's (or the platform's) is never taken.
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true } });
  const existingAccount = await db.businessAccount.findUnique({ where: { wabaId } });
  if (existingAccount && (existingAccount.kind === "MASTER" || existingAccount.tenantId !== tenantId)) {
    throw new AppError("CONFLICT", "This WhatsApp Business Account is already connected to Recado by someone else. Contact support.", {
      wabaId,
    });
  }
  const ownNumbers = await db.phoneNumber.findMany({
    where: { businessAccount: { tenantId, kind: "TENANT_OWNED" } },
    select: { id: true, metaPhoneNumberId: true, displayPhoneNumber: true },
  });
  const previous = ownNumbers[0];
  if (previous && previous.metaPhoneNumberId !== info.id) {
    throw new AppError(
      "CONFLICT",
      `Your bakery is connected with ${previous.displayPhoneNumber}. Re-authorize with that same number; to switch to another number, contact support.`,
      {
        reason: "different_number",
        connectedNumber: previous.displayPhoneNumber,
        offeredPhoneNumberId: info.id,
      },
    );
  }
  const taken = await db.phoneNumber.findUnique({
    where: { metaPhoneNumberId: info.id },
    select: { businessAccount: { select: { tenantId: true, kind: true } } },
  });
  if (taken && (taken.businessAccount.kind === "MASTER" || taken.businessAccount.tenantId !== tenantId)) {
    throw new AppError("CONFLICT", "This phone number is already used in Recado by someone else. Contact support.", {
      phoneNumberId: info.id,
    });
  }

  const reauthorized = !!previous;
  const columns = phoneNumberColumns(info);
  const { number, account } = await db.$transaction(async (tx) => {
    const account = await tx.businessAccount.upsert({
      where: { wabaId },
      update: { accessTokenEncrypted: encryptSecret(token), tokenInvalidAt: null, tokenInvalidReason: null },
      create: { wabaId, name: `${tenant.name} (own account)`, kind: "TENANT_OWNED", tenantId, accessTokenEncrypted: encryptSecret(token) },
    });
    const number = await tx.phoneNumber.upsert({
      where: { metaPhoneNumberId: info.id },
      update: { reauthRequiredAt: null },
      create: { metaPhoneNumberId: info.id, businessAccountId: account.id, ...columns },
    });
    // The bakery now sends from its own number (a shared number it held goes back to the pool).
    await tx.whatsAppSettings.upsert({
      where: { tenantId },
      update: { phoneNumberId: number.id },
      create: { tenantId, phoneNumberId: number.id },
    });
    await writeAudit(tx, {
      actor,
      action: reauthorized ? "whatsapp.own_account_reauthorized" : "whatsapp.own_account_connected",
      tenantId,
      targetType: "phone_number",
      targetId: number.id,
      after: { wabaId, phoneNumber: number.displayPhoneNumber },
    });
    return { number, account };
  });
  if (reauthorized) {
    await db.phoneNumberHealthEvent.create({
      data: {
        phoneNumberId: number.id,
        source: "signup",
        field: "reauthorization",
        newValue: "reauthorized",
        details: { by: actor.label },
      },
    });
  }

  await graph.subscribeApp(account.wabaId);
  const registration = await attemptRegistration({ db, phoneNumberId: number.id, trigger: "signup" });
  await checkNumberHealth({ db, phoneNumberId: number.id, source: "signup" });

  const connected = registration.outcome === "registered" || registration.outcome === "already_registered";
  if (!connected) {
    await db.phoneNumber.update({ where: { id: number.id }, data: { reauthRequiredAt: new Date() } });
    await db.phoneNumberHealthEvent.create({
      data: {
        phoneNumberId: number.id,
        source: "signup",
        field: "reauthorization",
        newValue: "required",
        details: { outcome: registration.outcome },
      },
    });
  }
  return {
    status: connected ? "connected" : "pending",
    reauthorized,
    phoneNumberId: number.id,
    displayPhoneNumber: number.displayPhoneNumber,
    registration,
    message: connected
      ? `${number.displayPhoneNumber} is connected: your bakery sends from its own WhatsApp number now.`
      : `${number.displayPhoneNumber} is connected but not registered yet: ${registration.message} When Meta is done, run “Connect WhatsApp” again with the same number to finish.`,
  };
}

/** The owner's own-account status for the connect page. */
export async function ownAccountStatus({ db, tenantId }: { db: Db; tenantId: string }) {
  const number = await db.phoneNumber.findFirst({
    where: { businessAccount: { tenantId, kind: "TENANT_OWNED" } },
    select: {
      displayPhoneNumber: true,
      verifiedName: true,
      onboardingState: true,
      reauthRequiredAt: true,
      businessAccount: { select: { wabaId: true, tokenInvalidAt: true } },
    },
  });
  if (!number) return { connected: false as const };
  return {
    connected: true as const,
    displayPhoneNumber: number.displayPhoneNumber,
    verifiedName: number.verifiedName,
    wabaId: number.businessAccount.wabaId,
    onboardingState: number.onboardingState,
    reauthRequired: !!number.reauthRequiredAt || !!number.businessAccount.tokenInvalidAt,
  };
}
