import { expect, test } from "@playwright/test";
import { demo, expectPath, signIn, snapshot, submitSignIn } from "./helpers";

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/admin");
  await expectPath(page, "/signin");
  await expect(page).toHaveURL(/callbackUrl=%2Fadmin/);
  await expect(page.getByRole("heading", { name: "Sign in to Recado" })).toBeVisible();
  await snapshot(page, "signin");
});

test("a wrong password gets a clear error and no session", async ({ page }) => {
  await submitSignIn(page, demo.admin, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong e-mail or password. Check both and try again.");
  await expectPath(page, "/signin");
  await snapshot(page, "signin-wrong-password");
  await page.goto("/dashboard");
  await expectPath(page, "/signin");
});

test("the platform admin lands on the admin pages", async ({ page }) => {
  await signIn(page, demo.admin);
  await expectPath(page, "/admin");
  await expect(page.getByTestId("current-role")).toHaveText("Platform admin");
  await expect(page.getByRole("heading", { name: "Platform overview" })).toBeVisible();
  // figures come through the tRPC React client: three demo bakeries
  await expect(page.getByTestId("stat-tenants")).toHaveText("3");
  await snapshot(page, "admin-overview");

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Phone numbers", "Bakeries", "Alerts", "Costs", "Audit log"]);
  for (const [link, heading, shot] of [
    ["Phone numbers", "Phone numbers", "admin-numbers"],
    ["Bakeries", "Bakeries", "admin-tenants"],
    ["Audit log", "Audit log", "admin-audit"],
  ] as const) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await snapshot(page, shot);
  }

  // admins stay out of the bakery pages
  await page.goto("/settings");
  await expectPath(page, "/forbidden");
  await expect(page.getByTestId("forbidden-title")).toBeVisible();
});

test("a bakery owner lands on their bakery's pages and is kept out of /admin", async ({ page }) => {
  await signIn(page, demo.otherOwner.email);
  await expectPath(page, "/dashboard");
  await expect(page.getByTestId("current-role")).toHaveText("Bakery owner");
  await expect(page.getByRole("heading", { level: 1, name: demo.otherOwner.bakery })).toBeVisible();
  await expect(page.getByTestId("whatsapp-status")).toContainText("Contact support");
  await snapshot(page, "owner-dashboard");

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Messages", "Contacts", "Templates", "Broadcasts", "Settings"]);
  for (const [link, shot] of [
    ["Messages", "owner-messages"],
    ["Contacts", "owner-contacts"],
    ["Templates", "owner-templates-no-number"],
    ["Broadcasts", "owner-broadcasts-no-number"],
    ["Settings", "owner-settings"],
  ] as const) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: link })).toBeVisible();
    if (link === "Templates") await expect(page.getByTestId("templates-no-number")).toContainText("Your bakery has no WhatsApp number yet");
    if (link === "Broadcasts") await expect(page.getByTestId("broadcast-problem")).toContainText("Your bakery has no WhatsApp number yet");
    await snapshot(page, shot);
  }

  await page.goto("/admin");
  await expectPath(page, "/forbidden");
  await expect(page.getByTestId("forbidden-title")).toHaveText("This page is not available to you");
  await snapshot(page, "owner-admin-refused");

  // the admin API refuses the owner's session too
  const response = await page.request.get("/api/trpc/admin.stats");
  expect(response.status()).toBe(403);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, demo.owner.email);
  await expectPath(page, "/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expectPath(page, "/signin");
  await page.goto("/dashboard");
  await expectPath(page, "/signin");
});
