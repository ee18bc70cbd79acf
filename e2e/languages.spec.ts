/**
 * The interface in Spanish (the browser says es-ES) at 1280 and 390 px: the sign-in page and its language menu,
 * the phone menu, Settings with the switch to Catalan and back (stored on the user: it survives a reload), an
 * error toast in Spanish, and no owner page wider than a 390 px phone.
 */
import { expect, test, type Page } from "@playwright/test";
import { pageWidth } from "./axe";
import { demo, snapshot } from "./helpers";

test.use({ locale: "es-ES" });

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

async function signInEs(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(demo.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

async function expectFitsPhone(page: Page, what: string) {
  const { scroll, viewport } = await pageWidth(page);
  expect(scroll, `${what} is ${scroll} px wide at ${viewport} px`).toBeLessThanOrEqual(viewport);
}

test("the sign-in page speaks Spanish, switches to Catalan and back from its language menu, and fits a phone", async ({
  page,
  context,
}) => {
  await page.setViewportSize(desktop);
  await page.goto("/signin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inicia sesión en Recado");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await snapshot(page, "es-signin-1280");

  await page.getByTestId("language-menu").selectOption("ca");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inicia la sessió a Recado");
  await expect(page.locator("html")).toHaveAttribute("lang", "ca");
  expect((await context.cookies()).find((c) => c.name === "recado_locale")?.value).toBe("ca");
  await snapshot(page, "ca-signin-1280");
  await page.getByTestId("language-menu").selectOption("es");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inicia sesión en Recado");

  // a wrong password is told in Spanish
  await page.getByLabel("Correo electrónico").fill(demo.owner.email);
  await page.getByLabel("Contraseña").fill("no-es-la-clave");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Correo" })).toHaveText(
    "Correo o contraseña incorrectos. Revisa los dos y vuelve a intentarlo.",
  );

  await page.setViewportSize(phone);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inicia sesión en Recado");
  await expectFitsPhone(page, "/signin");
  await snapshot(page, "es-signin-390");
});

test("on a phone the navigation is a menu; Settings switches the whole interface to Catalan and back", async ({ page }) => {
  await page.setViewportSize(phone);
  await signInEs(page, demo.owner.email);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(demo.owner.bakery);
  const nav = page.getByRole("navigation", { name: "Principal" });
  const menu = page.getByTestId("menu-button");
  await expect(nav).toBeHidden();
  await expect(menu).toHaveText(/Menú/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expectFitsPhone(page, "/dashboard with the menu closed");
  const menuBox = await menu.boundingBox();
  expect(menuBox!.height).toBeGreaterThanOrEqual(44);
  await snapshot(page, "es-dashboard-390");

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link")).toHaveText(["Resumen", "Mensajes", "Contactos", "Plantillas", "Difusiones", "Ajustes"]);
  for (const link of await nav.getByRole("link").all()) expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expect(page.getByRole("button", { name: "Cerrar sesión" })).toBeVisible();
  await expectFitsPhone(page, "/dashboard with the menu open");
  await snapshot(page, "es-menu-open-390");

  await nav.getByRole("link", { name: "Ajustes" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajustes");
  await expect(nav).toBeHidden(); // choosing a link closes the menu

  // an error in Spanish, with what was wrong and an example (INVALID_PHONE_FORMAT's details)
  await page.getByLabel("Tu número de móvil").fill("12ab");
  await page.getByRole("button", { name: "Enviar prueba" }).click();
  const toast = page.getByRole("status").filter({ hasText: "No enviado" });
  await expect(toast).toContainText("«12ab» no es un número de teléfono válido. Escríbelo con el prefijo del país, p. ej. +34");
  await expect(toast).not.toContainText(/E\.164|must be|INVALID_PHONE_FORMAT/);
  await expectFitsPhone(page, "/settings");
  await snapshot(page, "es-settings-390");

  // Catalan, at once and kept on the user
  await page.getByTestId("language-menu").selectOption("ca");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configuració");
  await expect(page.locator("html")).toHaveAttribute("lang", "ca");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configuració");
  await menu.click();
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Configuració" })).toBeVisible();
  await expect(menu).toHaveText(/Tanca/);
  await snapshot(page, "ca-settings-menu-390");
  await menu.click();
  await expectFitsPhone(page, "/settings in Catalan");

  await page.getByTestId("language-menu").selectOption("es");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajustes");

  // the same page at 1280 px: the navigation is a row, no menu button
  await page.setViewportSize(desktop);
  await expect(menu).toBeHidden();
  await expect(nav.getByRole("link", { name: "Ajustes" })).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("Titular de panadería");
  await snapshot(page, "es-settings-1280");
});

test("no owner page is wider than a 390 px phone", async ({ page }) => {
  await page.setViewportSize(phone);
  await signInEs(page, demo.owner.email);
  // pages of the other parts of issue 18 still too wide when this was written: listed, not hidden (remove when fixed)
  const knownWide: string[] = [];
  const tooWide: string[] = [];
  for (const path of ["/dashboard", "/messages", "/contacts", "/templates", "/broadcasts", "/settings", "/settings/whatsapp/connect"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(/^Cargando…$/)).toHaveCount(0);
    const { scroll } = await pageWidth(page);
    if (scroll > phone.width) tooWide.push(`${path} (${scroll} px)`);
    await snapshot(page, `es-390${path.replaceAll("/", "-")}`);
  }
  expect(tooWide.filter((entry) => !knownWide.some((known) => entry.startsWith(`${known} `)))).toEqual([]);
});

test("the admin's tables in Spanish fit a tablet and scroll inside their box on a phone", async ({ page }) => {
  await signInEs(page, demo.admin);
  for (const size of [{ width: 768, height: 1024 }, phone]) {
    await page.setViewportSize(size);
    await page.goto("/admin/numbers");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Números de teléfono");
    await expect(page.getByTestId("number-row").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Actualizar desde Meta" })).toBeVisible();
    await expectFitsPhone(page, `/admin/numbers at ${size.width} px`);
    await snapshot(page, `es-admin-numbers-${size.width}`);
    await page.goto("/admin/tenants");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Panaderías");
    await expect(page.getByTestId("tenant-row").first()).toBeVisible();
    await expectFitsPhone(page, `/admin/tenants at ${size.width} px`);
    await snapshot(page, `es-admin-tenants-${size.width}`);
  }
  // on the tablet every column of the bakeries table is in view without scrolling its box
  await page.setViewportSize({ width: 768, height: 1024 });
  const box = page.locator("table").locator("..");
  const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
});

test("on a phone the message history is stacked rows with each status in view", async ({ page }) => {
  await page.setViewportSize(phone);
  // Forn de Sant Pere has the broadcast messages of e2e/broadcasts.spec.ts when the whole suite runs
  await signInEs(page, demo.otherOwner.email);
  await page.goto("/messages");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/^Cargando…$/)).toHaveCount(0);
  await expectFitsPhone(page, "/messages");
  const statuses = page.getByTestId("message-row").getByTestId("message-status");
  for (const status of (await statuses.all()).slice(0, 5)) {
    const box = (await status.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
  }
  await snapshot(page, "es-messages-rows-390");
});
