/**
 * An owner broadcasts to imported contacts: imports a CSV, builds the broadcast, reads the preview count, starts
 * it and watches progress until the final summary. The e2e app runs background jobs inline (RECADO_JOBS=inline,
 * see the README), so the broadcast is sent by the same domain code the Inngest functions run, in the app.
 * Uses Forn de Sant Pere with the shared number +34 612 345 680 and gives the number back at the end.
 */
import { expect, test, type Page } from "@playwright/test";
import { demo, signIn, snapshot } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3100);
const simPort = Number(process.env.E2E_SIM_PORT ?? 4110);
const adminApi = `http://localhost:${port}/api/v1/admin/whatsapp`;
const adminAuth = { authorization: "Bearer local-admin-api-token-0123456789", "content-type": "application/json" };
const owner = "jordi@santpere.demo";
const numberId = "106540352242924";

async function santPereId(): Promise<string> {
  const tenants = (await (await fetch(`${adminApi}/tenants?search=Sant%20Pere`, { headers: adminAuth })).json()) as { tenant_id: string }[];
  return tenants[0]!.tenant_id;
}

/** Fills the new-broadcast form with po_notification and asks for the preview. */
async function composeBroadcast(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Broadcasts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Broadcasts" })).toBeVisible();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("combobox", { name: "Template" }).selectOption({ label: "po_notification" });
  await page.getByRole("combobox", { name: "Language" }).selectOption({ label: "Español" });
  await page.getByLabel("Text for Order number").fill("COCA-24");
  await page.getByLabel("Text for Total").fill("20 %");
  await page.getByRole("button", { name: "Preview" }).click();
  return page.getByTestId("broadcast-preview");
}

const simFaults = (faults: object) =>
  fetch(`http://127.0.0.1:${simPort}/__sim/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });

test.beforeAll(async () => {
  const assigned = await fetch(`${adminApi}/tenants/${await santPereId()}/assign-phone`, {
    method: "POST",
    headers: adminAuth,
    body: JSON.stringify({ phone_number_id: numberId, acknowledge_warnings: true }),
  });
  expect(assigned.status).toBe(200);
});

test.afterAll(async () => {
  await fetch(`${adminApi}/tenants/${await santPereId()}/unassign-phone`, { method: "DELETE", headers: adminAuth });
});

test("an owner broadcasts to imported contacts: preview count, live progress, final summary", async ({ page }) => {
  await signIn(page, owner);
  await page.goto("/settings");
  const toggle = page.getByRole("switch");
  if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  // 3 customers who agreed, 1 who did not, 1 invalid number (+ the bakery's demo contacts: 2 opted in, 2 not)
  await page.goto("/contacts");
  const csv = [
    "phone,name,opted_in",
    "+34622000001,Laura,yes",
    "622000002,Marc,yes",
    "+34622000003,Nerea,yes",
    "+34622000004,Pau,no",
    "999,Broken,yes",
  ].join("\n");
  await page.getByTestId("csv-input").setInputFiles({ name: "clientes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-imported")).toHaveText("4");

  const preview = await composeBroadcast(page, "Oferta de Sant Joan");
  await expect(preview).toContainText("5 people will receive it");
  await expect(preview).toContainText("Left out, not opted in: 3");
  await expect(preview).toContainText("COCA-24");
  await snapshot(page, "owner-broadcast-preview");

  await preview.getByRole("button", { name: "Send to 5 people" }).click();
  await expect(page).toHaveURL(/\/broadcasts\/[^/]+$/);
  await expect(page.getByRole("progressbar", { name: "Broadcast progress" })).toBeVisible();
  await snapshot(page, "owner-broadcast-progress");

  // sent by the in-app job runner, then delivered and read as the simulator's status webhooks arrive
  await expect(page.getByText("Completed", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("count-sent")).toContainText("5");
  await expect(page.getByTestId("count-read")).toContainText("5", { timeout: 30_000 });
  await expect(page.getByTestId("count-failed")).toContainText("0");
  await expect(page.getByRole("progressbar", { name: "Broadcast progress" })).toHaveAttribute("aria-valuenow", "100");
  await snapshot(page, "owner-broadcast-summary");

  const report = await page.request.get(page.url().replace(/\/broadcasts\//, "/api/broadcasts/") + "/recipients.csv");
  expect(report.status()).toBe(200);
  const lines = (await report.text()).trim().split("\n");
  expect(lines[0]).toContain("phone,name,status");
  expect(lines).toHaveLength(6);
});

test("the overview shows the week's messages as a bar with how far they got", async ({ page }) => {
  await signIn(page, owner);
  await page.goto("/dashboard");
  const recent = page.getByTestId("recent-messages");
  // the broadcast above: five messages, all read (earlier tests may have sent more from this bakery)
  await expect(recent.getByRole("img", { name: "Read, delivered, on the way and failed" })).toBeVisible();
  const read = Number((await recent.getByTestId("recent-read").textContent())?.match(/\d+/)?.[0]);
  expect(read).toBeGreaterThanOrEqual(5);
  await snapshot(page, "owner-overview");
});

test("a broadcast whose first batch fails entirely stops, and the owner and the admin are alerted", async ({ page, browser }) => {
  // Meta refuses every send as if the template had been paused (132015)
  await simFaults({ errorRate: 1, error: { code: 132015, httpStatus: 400, title: "Template is paused" }, pathPattern: "/messages" });
  try {
    await signIn(page, owner);
    const preview = await composeBroadcast(page, "Oferta que no sale");
    await preview.getByRole("button", { name: /^Send to \d+ people$/ }).click();
    await expect(page).toHaveURL(/\/broadcasts\/[^/]+$/);
    await expect(page.getByText("Stopped", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/Why: TEMPLATE_NOT_APPROVED/)).toBeVisible();
  } finally {
    await simFaults({ errorRate: 0, pathPattern: null });
  }

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Oferta que no sale" });
  await expect(alert).toContainText("was stopped: every message of its first batch failed");
  await expect(alert).toContainText("TEMPLATE_NOT_APPROVED");
  await snapshot(page, "owner-overview-broadcast-stopped");
  // the week's figures link to the failed messages, with what to do about each
  await page.getByTestId("recent-messages").getByRole("link", { name: "Messages" }).click();
  await expect(page).toHaveURL(/\/messages\?status=failed$/);
  await expect(page.getByLabel("Only failed messages")).toBeChecked();
  await expect(page.getByText(/paused or disabled by Meta/).first()).toBeVisible();
  await snapshot(page, "owner-messages-failed");

  const admin = await browser.newPage();
  await signIn(admin, demo.admin);
  const alerts = admin.getByTestId("alerts");
  await expect(alerts).toContainText('Forn de Sant Pere: broadcast "Oferta que no sale" stopped');
  await snapshot(admin, "admin-alert-broadcast-stopped");
  // acknowledged, so the specs after this one start without open alerts
  await alerts.locator("li", { hasText: "Oferta que no sale" }).getByRole("button", { name: "Acknowledge" }).click();
  await expect(admin.getByText(/broadcast "Oferta que no sale" stopped/)).toHaveCount(0);
  await admin.close();
});
