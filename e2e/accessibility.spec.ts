/**
 * axe-core on every page of the app, signed out, as a bakery owner and as the platform admin, at 1280 px and
 * (for the pages with their own phone layout) 390 px. Any violation fails, except the few listed as known below:
 * each lives in a file of another part of issue 18's work and is to be fixed there; remove its entry then.
 */
import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations, type KnownViolation } from "./axe";
import { demo, signIn } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3100);
const adminApi = `http://localhost:${port}/api/v1/admin/whatsapp`;
const adminAuth = { authorization: "Bearer local-admin-api-token-0123456789", "content-type": "application/json" };
// Obrador La Espiga gets a number for these checks (templates listed, the conversation's template picker) and
// gives it back at the end, as e2e/messaging.spec.ts does with the same bakery and number.
const withNumber = { email: "maite@laespiga.demo", search: "Espiga", numberId: "106540352242923" };

async function espigaId(): Promise<string> {
  const tenants = (await (await fetch(`${adminApi}/tenants?search=${withNumber.search}`, { headers: adminAuth })).json()) as {
    tenant_id: string;
  }[];
  return tenants[0]!.tenant_id;
}

test.beforeAll(async () => {
  const assigned = await fetch(`${adminApi}/tenants/${await espigaId()}/assign-phone`, {
    method: "POST",
    headers: adminAuth,
    body: JSON.stringify({ phone_number_id: withNumber.numberId, acknowledge_warnings: true }),
  });
  expect(assigned.status).toBe(200);
});

test.afterAll(async () => {
  await fetch(`${adminApi}/tenants/${await espigaId()}/unassign-phone`, { method: "DELETE", headers: adminAuth });
});

// Known violations (issue 18, point 15), in files owned by the conversation and contacts/templates work:
const known: Record<string, KnownViolation[]> = {
  // the conversation's template picker has no label and the page no h1 (src/components/messaging/conversation-view.tsx)
  conversation: [
    { rule: "select-name", why: "the template picker <select> has no label" },
    { rule: "page-has-heading-one", why: "the conversation page has no h1" },
  ],
  // the contacts table's last header cell is empty (src/components/contacts/contacts-view.tsx)
  contacts: [{ rule: "empty-table-header", why: "the actions column's header cell is empty" }],
  // grey "updated …" text on Templates is 2.58:1 (src/components/templates/templates-view.tsx)
  templates: [{ rule: "color-contrast", why: "the grey “updated …” text is 2.58:1" }],
};

/** Opens a page, waits until its data has loaded (no "Loading…" left), then runs axe. */
async function check(page: Page, path: string, name: string) {
  await page.goto(path);
  await expect(page.locator("main")).toBeVisible();
  await expect(page.getByText(/^(Loading…|Cargando…|Carregant…)$/)).toHaveCount(0);
  await expect(page.locator("h1").or(page.getByRole("heading")).first()).toBeVisible();
  await expectNoAxeViolations(page, name, known[name] ?? []);
}

test("the sign-in, not-found and forbidden pages have no accessibility violations", async ({ page }) => {
  await check(page, "/signin", "signin");
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, "/signin", "signin at 390 px");
  await page.setViewportSize({ width: 1280, height: 800 });
  await check(page, "/no-such-page", "not-found");
  await signIn(page, demo.otherOwner.email);
  await check(page, "/forbidden?from=/admin", "forbidden");
});

const ownerPages = [
  ["/dashboard", "dashboard"],
  ["/messages", "messages"],
  ["/contacts", "contacts"],
  ["/templates", "templates"],
  ["/broadcasts", "broadcasts"],
  ["/settings", "settings"],
  ["/settings/whatsapp/connect", "connect"],
] as const;

/** Every owner page, then a conversation (the bakery's first contact), each checked by axe. */
async function checkOwnerPages(page: Page) {
  for (const [path, name] of ownerPages) await check(page, path, name);
  await page.goto("/contacts");
  const conversation = page.locator('a[href^="/messages/"]').first();
  await expect(conversation).toBeVisible();
  await page.goto((await conversation.getAttribute("href"))!);
  await check(page, page.url(), "conversation");
}

test("a bakery owner's pages have no accessibility violations, without a number and on a phone", async ({ page }) => {
  await signIn(page, demo.owner.email);
  await checkOwnerPages(page);

  // the phone layout: the header with its menu open
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, "/dashboard", "dashboard at 390 px");
  await page.getByTestId("menu-button").click();
  await expect(page.getByRole("navigation", { name: /./ }).getByRole("link").first()).toBeVisible();
  await expectNoAxeViolations(page, "menu open at 390 px");
  await check(page, "/messages", "messages at 390 px");
});

test("the pages of a bakery with a number (templates, the template picker) have no accessibility violations", async ({ page }) => {
  await signIn(page, withNumber.email);
  await checkOwnerPages(page);
});

test("the platform admin's pages have no accessibility violations", async ({ page }) => {
  await signIn(page, demo.admin);
  for (const [path, name] of [
    ["/admin", "admin overview"],
    ["/admin/numbers", "admin numbers"],
    ["/admin/tenants", "admin bakeries"],
    ["/admin/audit", "admin audit"],
    ["/admin/alerts", "admin alerts"],
    ["/admin/costs", "admin costs"],
    ["/admin/support", "admin support contact"],
  ] as const)
    await check(page, path, name);
  await page.goto("/admin/numbers");
  const numberLink = page.getByTestId("number-row").first().getByRole("link");
  if (await numberLink.count()) {
    await numberLink.click();
    await check(page, page.url(), "admin number");
  }
  await page.setViewportSize({ width: 768, height: 1024 });
  await check(page, "/admin/tenants", "admin bakeries at 768 px");
});
