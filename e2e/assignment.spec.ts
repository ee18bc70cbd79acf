import { expect, test, type Page } from "@playwright/test";
import { demo, expectPath, signIn, snapshot } from "./helpers";

// The simulator's default master account (src/meta-simulator): three connected numbers and one pending.
const sanJuanNumber = "+34 612 345 678";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expectPath(page, "/signin");
}

test("admin assigns a number, the owner switches WhatsApp on, the admin unassigns it", async ({ page }) => {
  // 1. the admin loads the shared account's numbers from Meta (the simulator)
  await signIn(page, demo.admin);
  await expectPath(page, "/admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Phone numbers" }).click();
  await page.getByRole("button", { name: "Refresh from Meta" }).click();
  await expect(page.getByTestId("number-row")).toHaveCount(4);
  await expect(page.getByTestId("last-refreshed")).not.toContainText("never");
  const yellow = page.getByTestId("number-row").filter({ hasText: "+34 612 345 680" });
  await expect(yellow.getByTestId("quality-badge")).toHaveText("Yellow");
  await snapshot(page, "admin-numbers-loaded");

  // 2. and assigns one to Panadería San Juan
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bakeries" }).click();
  await page.getByLabel("Search bakeries").fill("San Juan");
  const row = page.locator(`[data-testid="tenant-row"][data-tenant="${demo.owner.bakery}"]`);
  await expect(page.getByTestId("tenant-row")).toHaveCount(1);
  await row.getByLabel(`Number for ${demo.owner.bakery}`).selectOption({ label: `${sanJuanNumber} · Bakery Platform` });
  await row.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${sanJuanNumber} assigned to ${demo.owner.bakery}` })).toBeVisible();
  await expect(row).toContainText(sanJuanNumber);
  await snapshot(page, "admin-tenant-assigned");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row").first()).toContainText("Number assigned");
  await expect(page.getByTestId("audit-row").first()).toContainText(demo.owner.bakery);
  await snapshot(page, "admin-audit-assigned");
  await signOut(page);

  // 3. the owner sees the number, switches WhatsApp on and picks Català; both survive a reload
  await signIn(page, demo.owner.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("assigned-number")).toHaveText(sanJuanNumber);
  await expect(page.getByText("WhatsApp configured")).toBeVisible();
  const toggle = page.getByRole("switch", { name: "Send WhatsApp notifications" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByRole("status").filter({ hasText: "WhatsApp notifications turned on." })).toBeVisible();
  await page.getByLabel("Message language").selectOption("ca");
  await expect(page.getByRole("status").filter({ hasText: "Message language saved." })).toBeVisible();
  await snapshot(page, "owner-settings-configured");
  await page.reload();
  await expect(page.getByRole("switch", { name: "Send WhatsApp notifications" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByLabel("Message language")).toHaveValue("ca");
  // no credential, account id or API version anywhere on the page
  await expect(page.locator("body")).not.toContainText(/access token|sim-master-token|api version|v25\.0|102290129340398|106540352242922/i);
  await signOut(page);

  // 4. the admin unassigns it, confirming in a dialog
  await signIn(page, demo.admin);
  await page.goto("/admin/tenants");
  await page.getByLabel("Search bakeries").fill("San Juan");
  await expect(page.getByTestId("tenant-row")).toHaveCount(1);
  await row.getByRole("button", { name: "Unassign" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Unassign ${sanJuanNumber}?`);
  await snapshot(page, "admin-unassign-confirm");
  await dialog.getByRole("button", { name: "Unassign" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${sanJuanNumber} unassigned from ${demo.owner.bakery}` })).toBeVisible();
  await signOut(page);

  // 5. the owner now sees "contact support"
  await signIn(page, demo.owner.email);
  await page.goto("/settings");
  await expect(page.getByTestId("contact-support")).toContainText("Contact support");
  await expect(page.getByTestId("toggle-explanation")).toContainText("messages start once a number is assigned");
  await snapshot(page, "owner-settings-contact-support");
});

test("assigning a number that is not registered yet asks for confirmation first", async ({ page }) => {
  await signIn(page, demo.admin);
  await page.goto("/admin/numbers");
  await page.getByRole("button", { name: "Refresh from Meta" }).click();
  await expect(page.getByTestId("number-row")).toHaveCount(4);
  await page.goto("/admin/tenants");
  await page.getByLabel("Search bakeries").fill("Espiga");
  const row = page.locator('[data-testid="tenant-row"][data-tenant="Obrador La Espiga"]');
  await expect(page.getByTestId("tenant-row")).toHaveCount(1);
  const select = row.getByLabel("Number for Obrador La Espiga");
  const pendingOption = select.locator("option", { hasText: "⚠" });
  await select.selectOption({ label: (await pendingOption.textContent())!.trim() });
  await row.getByRole("button", { name: "Assign" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("not registered with WhatsApp yet");
  await snapshot(page, "admin-assign-warning");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByRole("button", { name: "Assign" })).toBeVisible();
});
