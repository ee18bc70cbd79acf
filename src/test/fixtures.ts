/** Real rows for tests: tenants, owners, admins, and tRPC callers acting as them. */
import { randomUUID } from "node:crypto";
import type { Session } from "next-auth";
import type { Role } from "@/generated/prisma/enums";
import { createCaller } from "@/server/api/root";
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { simulatedSignupPopupFor } from "@/server/wiring";

// Tests do not need a slow password hash: nobody signs in with these users through the form.
const unusablePasswordHash = "scrypt$16384$8$1$AAAA$AAAA";

export async function createTenantWithOwner(db: Db, name = `Bakery ${randomUUID().slice(0, 8)}`) {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${randomUUID().slice(0, 6)}`;
  const tenant = await db.tenant.create({ data: { name, slug, whatsappSettings: { create: {} } } });
  const owner = await db.user.create({
    data: {
      email: `owner-${randomUUID()}@test.recado`,
      name: `Owner of ${name}`,
      passwordHash: unusablePasswordHash,
      role: "TENANT_OWNER",
      tenantId: tenant.id,
    },
  });
  return { tenant, owner };
}

export async function createAdmin(db: Db) {
  return db.user.create({
    data: { email: `admin-${randomUUID()}@test.recado`, name: "Test Admin", passwordHash: unusablePasswordHash, role: "PLATFORM_ADMIN" },
  });
}

export function sessionFor(user: {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string | null;
  sessionVersion?: number;
}): Session {
  const sessionVersion = user.sessionVersion ?? 0;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, sessionVersion },
    expires: new Date(Date.now() + 3600_000).toISOString(),
  };
}

export function callerAs(db: Db, user: Parameters<typeof sessionFor>[0] | null) {
  return createCaller({ db, session: user ? sessionFor(user) : null, simulatedSignupPopup: simulatedSignupPopupFor(getEnv()) });
}

let numberSeq = 0;

/** A number of the shared (master) account, in whatever state the test needs. */
export async function createMasterNumber(
  db: Db,
  overrides: Partial<{
    displayPhoneNumber: string;
    status: string;
    platformType: string;
    qualityRating: "GREEN" | "YELLOW" | "RED" | "UNRATED";
    healthStatus: string;
  }> = {},
) {
  const account = await db.businessAccount.upsert({
    where: { wabaId: "999000000000001" },
    update: {},
    create: { wabaId: "999000000000001", name: "Test master WABA", kind: "MASTER" },
  });
  numberSeq += 1;
  const suffix = `${Date.now() % 1_000_000}${numberSeq}`.padStart(7, "0");
  return db.phoneNumber.create({
    data: {
      metaPhoneNumberId: `1${suffix}${Math.floor(Math.random() * 1e6)}`,
      businessAccountId: account.id,
      displayPhoneNumber: overrides.displayPhoneNumber ?? `+34 6${suffix.slice(0, 2)} ${suffix.slice(2, 5)} ${suffix.slice(5, 7)}0`,
      verifiedName: "Test Bakery Line",
      qualityRating: overrides.qualityRating ?? "GREEN",
      status: overrides.status ?? "CONNECTED",
      platformType: overrides.platformType ?? "CLOUD_API",
      healthStatus: overrides.healthStatus ?? "AVAILABLE",
      codeVerificationStatus: "VERIFIED",
    },
  });
}
