import { expect, test } from "@playwright/test";
import { demo, expectPath, snapshot } from "./helpers";

// The production build (the e2e server runs `next start`): security headers on pages and APIs, a CSP nonce
// the page's own scripts carry (the page still hydrates), no-store on tRPC answers, same-origin redirects only.

test("pages carry the security headers and a per-request CSP nonce, and still hydrate", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  // no inline script runs without the nonce
  expect(csp.split(";").find((directive) => directive.trim().startsWith("script-src"))).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  // served over http here: no HSTS (a browser would ignore it anyway)
  expect(headers["strict-transport-security"]).toBeUndefined();

  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const again = await page.request.get("/signin");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);

  // every script of the page carries this response's nonce
  const scripts = await page.locator("script").evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  for (const scriptNonce of scripts) expect(scriptNonce).toBe(nonce);

  // the form posts (never a GET with the password in the URL), and it is React's (hydrated) form that answers
  await expect(page.locator("form")).toHaveAttribute("method", "post");
  await page.getByLabel("E-mail").fill(demo.admin);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toBeVisible();
  expect(page.url()).not.toContain("password");
  expect(violations).toEqual([]);
});

test("tRPC and REST answers are never cached; API answers carry the headers too", async ({ page, request }) => {
  const signedOut = await request.get("/api/trpc/account.me");
  expect(signedOut.status()).toBe(401);
  expect(signedOut.headers()["cache-control"]).toBe("no-store");
  expect(signedOut.headers()["x-content-type-options"]).toBe("nosniff");

  const rest = await request.get("/api/v1/admin/whatsapp/tenants");
  expect(rest.headers()["cache-control"]).toBe("no-store");

  await page.goto(`/signin?callbackUrl=${encodeURIComponent("//127.0.0.1:9/evil")}`);
  await page.getByLabel("E-mail").fill(demo.otherOwner.email);
  await page.getByLabel("Password").fill(demo.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // an off-site (protocol-relative) callbackUrl lands on the dashboard
  await expectPath(page, "/dashboard");
  // the signed-in page's cookies: an answer with the bakery's own data
  const answer = await page.request.get("/api/trpc/bakery.overview");
  expect(answer.status()).toBe(200);
  expect(await answer.text()).toContain(demo.otherOwner.bakery);
  expect(answer.headers()["cache-control"]).toBe("no-store");
  await snapshot(page, "production-dashboard");
});

test("an off-site callbackUrl lands on the dashboard", async ({ page }) => {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("http://127.0.0.1:9/evil")}`);
  await page.getByLabel("E-mail").fill(demo.otherOwner.email);
  await page.getByLabel("Password").fill(demo.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectPath(page, "/dashboard");
});

test("the sign-in page says when to try again after too many failures", async ({ page, request }) => {
  const email = `nobody-${Date.now()}@recado.test`;
  for (let i = 0; i < 10; i++) {
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const attempt = await request.post("/api/auth/callback/credentials", {
      form: { email, password: `wrong-${i}`, csrfToken: csrf.csrfToken, json: "true" },
    });
    expect(attempt.status()).toBe(401);
  }
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("still-wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText(
    "Too many failed sign-ins for this account. Try again in 15 minutes.",
  );
  await snapshot(page, "signin-throttled");
});
