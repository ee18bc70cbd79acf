/**
 * An owner imports contacts from a CSV with good and bad rows and reads the report, sends a test notification to
 * their own number from Settings (kept on the profile, not a contact), then sends a supplier a purchase-order
 * template and watches it go sent → delivered → read in the message history without reloading.
 * Uses Obrador La Espiga (no other spec gives it a number) and gives the number back at the end.
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn, snapshot } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3100);
const simPort = Number(process.env.E2E_SIM_PORT ?? 4110);
const adminApi = `http://localhost:${port}/api/v1/admin/whatsapp`;
const adminAuth = { authorization: "Bearer local-admin-api-token-0123456789", "content-type": "application/json" };
const owner = { email: "maite@laespiga.demo", bakery: "Obrador La Espiga" };
const numberId = "106540352242923";

async function espigaId(): Promise<string> {
  const tenants = (await (await fetch(`${adminApi}/tenants?search=Espiga`, { headers: adminAuth })).json()) as { tenant_id: string }[];
  return tenants[0]!.tenant_id;
}

async function enableWhatsApp(page: Page) {
  await page.goto("/settings");
  const toggle = page.getByRole("switch");
  if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
}

test.beforeAll(async () => {
  const assigned = await fetch(`${adminApi}/tenants/${await espigaId()}/assign-phone`, {
    method: "POST",
    headers: adminAuth,
    body: JSON.stringify({ phone_number_id: numberId, acknowledge_warnings: true }),
  });
  expect(assigned.status).toBe(200);
});

test.afterAll(async () => {
  await fetch(`${adminApi}/tenants/${await espigaId()}/unassign-phone`, { method: "DELETE", headers: adminAuth });
  await fetch(`http://127.0.0.1:${simPort}/__sim/config`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ statusDelaysMs: { sent: 100, delivered: 400, read: 1500 } }),
  });
});

test("an owner imports a CSV with good and bad rows and reads the report", async ({ page }) => {
  await signIn(page, owner.email);
  await page.goto("/contacts");
  const csv = [
    "phone,name,opted_in",
    "+34611000001,Molinos Ribera,yes",
    "611000002,Mantequería Ona,yes",
    "+34611000001,Molinos Ribera again,yes",
    "12345,Wrong number,yes",
    ",No number,no",
    "+34 611 000 003,Frutas Iñaki,no",
  ].join("\n");
  await page.getByTestId("csv-input").setInputFiles({ name: "suppliers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const report = page.getByTestId("import-report");
  await expect(report).toBeVisible();
  await expect(page.getByTestId("import-processed")).toHaveText("6");
  await expect(page.getByTestId("import-imported")).toHaveText("3");
  await expect(page.getByTestId("import-duplicates")).toHaveText("1");
  await expect(page.getByTestId("import-errors")).toHaveText("2");
  await expect(page.getByTestId("import-error-rows")).toContainText("12345");
  await expect(page.getByTestId("import-error-rows")).toContainText("Not a phone number we can use");
  await expect(page.getByTestId("import-error-rows")).toContainText("The phone number is missing.");
  await expect(page.getByTestId("import-error-rows").locator("li")).toHaveCount(2);
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "6");
  await expect(page.getByTestId("contacts-table")).toContainText("Mantequería Ona");
  await expect(page.getByTestId("contacts-table")).toContainText("+34611000002");
  await snapshot(page, "owner-contacts-import-report");

  // the same file again changes nothing
  await page.getByTestId("csv-input").setInputFiles({ name: "suppliers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-imported")).toHaveText("0");
  await expect(page.getByTestId("import-duplicates")).toHaveText("4");
});

test("an owner sends a test notification to their own number, then a template to a supplier and watches it go sent → delivered → read without reloading", async ({
  page,
}) => {
  // slow the simulator's status progression so each state is on screen for a few seconds
  await fetch(`http://127.0.0.1:${simPort}/__sim/config`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ statusDelaysMs: { sent: 2500, delivered: 5000, read: 5000 } }),
  });
  await signIn(page, owner.email);
  await enableWhatsApp(page);

  await page.goto("/templates");
  await page.getByRole("button", { name: "Refresh from WhatsApp" }).click();
  await expect(page.getByTestId("templates-table")).toContainText("po_notification");
  await snapshot(page, "owner-templates");

  // the test goes to the owner's own number, kept on the profile; it is not a contact and not in the history
  await page.goto("/settings");
  await page.getByLabel("Your mobile number").fill("+34 622 000 111");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test notification sent" })).toBeVisible();
  await expect(page.getByTestId("notification-phone")).toContainText("+34622000111");
  await expect(page.getByTestId("notification-phone")).toContainText("confirmed by a test");
  await snapshot(page, "owner-settings-test-notification");
  await page.reload();
  await expect(page.getByLabel("Your mobile number")).toHaveValue("+34622000111");

  // a purchase-order template to a supplier who opted in (imported above), followed in the history
  await page.goto("/contacts");
  await page.getByRole("row").filter({ hasText: "Mantequería Ona" }).getByRole("link", { name: "Conversation" }).click();
  // the blanks are named from the template's examples
  for (const [label, value] of [
    ["Supplier", "Mantequería Ona"],
    ["Order number", "PO-E2E-1"],
    ["Total", "12,00 €"],
  ] as const)
    await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Send template" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sent to WhatsApp" })).toBeVisible();
  await page.goto("/messages");

  const row = page.getByTestId("message-row").first();
  await expect(row).toContainText("po_notification");
  const status = row.getByTestId("message-status");
  await expect(status).toHaveAttribute("data-status", "SENT", { timeout: 20_000 });
  await snapshot(page, "owner-messages-sent");
  await expect(status).toHaveAttribute("data-status", "DELIVERED", { timeout: 20_000 });
  await snapshot(page, "owner-messages-delivered");
  await expect(status).toHaveAttribute("data-status", "READ", { timeout: 20_000 });
  await expect(row).toContainText("sent → delivered → read");
  await snapshot(page, "owner-messages-read");

  await row.getByRole("link").first().click();
  await expect(page.getByTestId("window-state")).toContainText("Reply window closed");
  await snapshot(page, "owner-conversation");
});
