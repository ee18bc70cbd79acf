/**
 * Sign-in protection on real Postgres: throttling per account and address, equal answers and similar timing
 * for an unknown e-mail and a wrong password, sessions that end (a cookie copied before sign-out is refused
 * after it, by page access and by the API), a changed role counting on the next request, same-origin redirects.
 */
import { TRPCError } from "@trpc/server";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { getAuthOptions } from "@/server/auth/options";
import { hashPassword } from "@/server/auth/password";
import { clientAddressOf, signInLimits, throttledSignIn } from "@/server/auth/sign-in-throttle";
import { sameOriginPath } from "@/lib/same-origin-path";
import { testDb } from "@/test/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";

const password = "the-right-password-1";
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(password);
});

const options = () => getAuthOptions();
type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
const authorize: Authorize = (credentials, req) =>
  (options().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);

/** One sign-in attempt as the route runs it: the throttle first, then NextAuth's authorize. */
async function attempt(email: string, attemptPassword: string, address: string) {
  const form = new URLSearchParams({ email, password: attemptPassword, csrfToken: "x" });
  const req = new Request("http://localhost:3000/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    body: form,
  });
  const refusal = await throttledSignIn({ db: testDb(), req, trustedProxyHops: 0 });
  if (refusal) return { status: refusal.status, body: (await refusal.json()) as { message: string; retryAfterSeconds: number } };
  const user = await authorize({ email, password: attemptPassword }, { headers: { "x-forwarded-for": address } });
  return { status: user ? 200 : 401, body: null };
}

async function ownerWithPassword() {
  const { tenant, owner } = await createTenantWithOwner(testDb());
  return { tenant, owner: await testDb().user.update({ where: { id: owner.id }, data: { passwordHash } }) };
}

// a new documentation address per call: a test never meets an address another test throttled (a random pick
// among 250 once collided with the address the "many accounts" test had locked)
let addresses = 0;
const address = () => {
  addresses += 1;
  return `198.51.${100 + Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

describe("sign-in throttling", () => {
  it("refuses the 11th wrong password within the window with 429 and when to try again; another account still signs in", async () => {
    const { owner } = await ownerWithPassword();
    const { owner: other } = await ownerWithPassword();
    const from = address();
    for (let i = 0; i < signInLimits.failuresPerAccount; i++) expect((await attempt(owner.email, `wrong-${i}`, from)).status).toBe(401);

    const eleventh = await attempt(owner.email, "wrong-again", from);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body?.message).toBe("Too many failed sign-ins for this account. Try again in 15 minutes.");
    expect(eleventh.body?.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // the right password does not get through either while the account is throttled
    expect((await attempt(owner.email, password, address())).status).toBe(429);
    // someone else, even from the same address, signs in
    expect((await attempt(other.email, password, from)).status).toBe(200);
  }, 120_000);

  it("throttles an address that tries many accounts", async () => {
    const from = address();
    for (let i = 0; i < signInLimits.failuresPerAddress; i++) {
      await testDb().signInFailure.create({ data: { email: `probe-${i}-${randomUUID()}@x.test`, clientAddress: from } });
    }
    const refused = await attempt(`fresh-${randomUUID()}@x.test`, "whatever", from);
    expect(refused.status).toBe(429);
    expect(refused.body?.message).toMatch(/^Too many failed sign-ins from your network\. Try again in 15 minutes\.$/);
  });

  it("answers an unknown e-mail exactly like a wrong password, in similar time", async () => {
    const { owner } = await ownerWithPassword();
    await attempt(`warm-${randomUUID()}@x.test`, "x", address()); // the decoy hash is made once
    const time = async (email: string) => {
      const started = performance.now();
      const result = await attempt(email, "not-the-password", address());
      return { ms: performance.now() - started, result };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await time(`nobody-${randomUUID()}@x.test`);
      const b = await time(owner.email);
      expect(a.result).toEqual(b.result);
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const median = (values: number[]) => values.sort((x, y) => x - y)[1]!;
    const ratio = median(unknown) / median(wrong);
    expect(ratio, `unknown ${median(unknown).toFixed(0)} ms, wrong ${median(wrong).toFixed(0)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 120_000);

  it("trusts X-Forwarded-For only through the configured proxies", () => {
    expect(clientAddressOf("203.0.113.9", 0)).toBe("203.0.113.9");
    // a client-written entry left of the trusted proxy's is ignored
    expect(clientAddressOf("6.6.6.6, 203.0.113.9, 10.0.0.2", 1)).toBe("203.0.113.9");
    expect(clientAddressOf("6.6.6.6, 10.0.0.2", 0)).toBe("10.0.0.2");
  });
});

/** The session cookie NextAuth would set for this user (same secret, same encoding). */
async function sessionCookie(user: {
  id: string;
  email: string;
  name: string;
  role: "PLATFORM_ADMIN" | "TENANT_OWNER";
  tenantId: string | null;
  sessionVersion: number;
}) {
  const token = await encode({
    secret: process.env.NEXTAUTH_SECRET!,
    token: {
      sub: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      tenantId: user.tenantId,
      sessionVersion: user.sessionVersion,
    },
  });
  return `next-auth.session-token=${token}`;
}

async function openPage(path: string, cookie: string) {
  const response = await proxy(new NextRequest(`http://localhost:3000${path}`, { headers: { cookie } }));
  const location = response.headers.get("location");
  return location ? new URL(location).pathname : "rendered";
}

async function refusedCode(run: Promise<unknown>) {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof TRPCError ? error.code : "allowed";
}

describe("sessions that end", () => {
  it("a cookie copied before sign-out is refused after it, by pages and by the API", async () => {
    const { owner } = await ownerWithPassword();
    const cookie = await sessionCookie(owner);
    expect(await openPage("/dashboard", cookie)).toBe("rendered");
    expect(await refusedCode(callerAs(testDb(), owner).bakery.overview())).toBe("allowed");

    await options().events!.signOut!({ token: { sub: owner.id, sessionVersion: owner.sessionVersion }, session: null as never });

    expect(await openPage("/dashboard", cookie)).toBe("/signin");
    expect(await refusedCode(callerAs(testDb(), owner).bakery.overview())).toBe("UNAUTHORIZED");
  });

  it("a password change and an admin's sign-out-everywhere end every session", async () => {
    const { owner } = await ownerWithPassword();
    const admin = await createAdmin(testDb());
    const cookie = await sessionCookie(owner);
    await callerAs(testDb(), owner).account.changePassword({ currentPassword: password, newPassword: "a-brand-new-password" });
    expect(await openPage("/contacts", cookie)).toBe("/signin");
    expect(await refusedCode(callerAs(testDb(), owner).account.me())).toBe("UNAUTHORIZED");

    const fresh = await testDb().user.findUniqueOrThrow({ where: { id: owner.id } });
    const freshCookie = await sessionCookie(fresh);
    expect(await openPage("/contacts", freshCookie)).toBe("rendered");
    await callerAs(testDb(), admin).admin.signOutEverywhere({ userId: owner.id });
    expect(await openPage("/contacts", freshCookie)).toBe("/signin");
    expect(await refusedCode(callerAs(testDb(), fresh).account.me())).toBe("UNAUTHORIZED");
  });

  it("refuses a wrong current password when changing it", async () => {
    const { owner } = await ownerWithPassword();
    expect(
      await refusedCode(
        callerAs(testDb(), owner).account.changePassword({ currentPassword: "guess", newPassword: "a-brand-new-password" }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("a user whose role changes loses the old role's access on the next request", async () => {
    const admin = await createAdmin(testDb());
    const cookie = await sessionCookie(admin);
    expect(await openPage("/admin", cookie)).toBe("rendered");
    expect(await refusedCode(callerAs(testDb(), admin).admin.stats())).toBe("allowed");

    const { tenant } = await createTenantWithOwner(testDb());
    await testDb().user.update({ where: { id: admin.id }, data: { role: "TENANT_OWNER", tenantId: tenant.id } });

    expect(await openPage("/admin", cookie)).toBe("/forbidden");
    expect(await refusedCode(callerAs(testDb(), admin).admin.stats())).toBe("FORBIDDEN");
  });
});

describe("redirects after sign-in", () => {
  const baseUrl = "http://localhost:3000";
  const redirect = (url: string) => options().callbacks!.redirect!({ url, baseUrl });

  it("off-site and protocol-relative callbackUrls land on the dashboard (via /)", async () => {
    for (const evil of [
      "http://127.0.0.1:9/evil",
      "//127.0.0.1:9/evil",
      "/\\127.0.0.1:9/evil",
      "https://localhost:3000.evil.test/x",
      "javascript:alert(1)",
    ]) {
      expect(await redirect(evil), evil).toBe(`${baseUrl}/`);
      expect(sameOriginPath(evil), evil).toBe("/");
    }
    expect(await openPage("/", await sessionCookie((await ownerWithPassword()).owner))).toBe("/dashboard");
  });

  it("keeps a path of the app", async () => {
    expect(await redirect("/contacts?page=2")).toBe(`${baseUrl}/contacts?page=2`);
    expect(await redirect(`${baseUrl}/broadcasts/abc`)).toBe(`${baseUrl}/broadcasts/abc`);
    expect(sameOriginPath("/messages/c1?x=1")).toBe("/messages/c1?x=1");
  });
});
