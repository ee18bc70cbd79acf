/**
 * A Spanish bakery owner's contacts, in Spanish, on a laptop (1280 px) and a phone (390 px): a number typed
 * wrongly is explained next to the field, a CSV saved by Excel on Windows (Windows-1252, "teléfono") imports
 * with its tags, tags are added in bulk and removed on one contact, an opt-in asks how consent was given, and
 * the export opens in Spanish Excel (semicolons, BOM). The admin sets the support e-mail first; the owner without
 * a number sees it on Templates as a link. The app icons and manifest load for anyone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { demo, snapshot } from "./helpers";

test.use({ locale: "es-ES" });

const fixture = readFileSync(join(process.cwd(), "e2e", "fixtures", "contactos-windows-1252.csv"));

/** The sign-in form in whichever language it is shown. */
async function signInAs(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel(/e-mail|correo/i).fill(email);
  await page.getByLabel(/password|contraseña|contrasenya/i).fill(demo.password);
  await page.getByRole("button", { name: /sign in|entrar|iniciar/i }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/**
 * The page's content (main) is no wider than the viewport. The header's navigation is the app shell's (made to
 * fit phones separately); its width is printed, not asserted here.
 */
async function expectNoSidewaysScroll(page: Page, width: number) {
  const { main, whole } = await page.evaluate(() => ({
    main: document.querySelector("main")!.scrollWidth,
    whole: document.documentElement.scrollWidth,
  }));
  console.log(`at ${width} px: main ${main} px wide, document ${whole} px wide`);
  expect(main, "the page's content is no wider than the viewport").toBeLessThanOrEqual(width);
}

test("the app icons and the web manifest load without signing in", async ({ request }) => {
  for (const [path, type] of [
    ["/favicon.ico", /image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/icon.svg", /image\/svg\+xml/],
    ["/icon-192.png", /image\/png/],
    ["/icon-512.png", /image\/png/],
    ["/manifest.webmanifest", /application\/manifest\+json|application\/json/],
  ] as const) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(type);
  }
  const manifest = (await (await request.get("/manifest.webmanifest")).json()) as Record<string, unknown>;
  expect(manifest).toMatchObject({ name: "Recado", display: "standalone", theme_color: "#0e6d41" });
});

test("the admin sets the support e-mail; an owner without a number sees it on Templates as a link", async ({ page }) => {
  await signInAs(page, demo.admin);
  await page.goto("/admin/support");
  await page.getByLabel("Correo de soporte").fill("soporte");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Escribe una dirección de correo" })).toBeVisible();
  await page.getByLabel("Correo de soporte").fill("soporte@recado.demo");
  await page.getByLabel("Página de ayuda (https://…)").fill("https://recado.demo/ayuda");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Contacto de soporte guardado." })).toBeVisible();
  await expect(page.getByTestId("support-link").getByRole("link", { name: "Escribe a soporte@recado.demo" })).toBeVisible();
  await snapshot(page, "es-admin-support-contact");

  // a webhook with a wrong signature raises an alert; acknowledged, it stays on the alerts page with who and when
  const forged = await page.request.post("/api/webhooks/whatsapp", {
    data: JSON.stringify({ object: "whatsapp_business_account", entry: [] }),
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
  });
  expect(forged.status()).toBe(401);
  await page.goto("/admin");
  await page.getByTestId("alerts-indicator").click();
  await expect(page).toHaveURL(/\/admin\/alerts\?status=open$/);
  await expect(page.getByRole("heading", { level: 1, name: "Alertas" })).toBeVisible();
  const openRow = page.getByTestId("alert-row").filter({ hasText: "webhook" }).first();
  await openRow.getByRole("button", { name: "Marcar como revisada" }).click();
  // acknowledged: it leaves the open list, and the header's indicator goes
  await expect(page.getByTestId("alert-row").filter({ hasText: "webhook" })).toHaveCount(0);
  await expect(page.getByTestId("alerts-indicator")).toHaveCount(0);
  await page.getByLabel("Estado").selectOption("acknowledged");
  const done = page.getByTestId("alert-row").filter({ hasText: "webhook" }).first();
  await expect(done).toHaveAttribute("data-acknowledged", "true");
  await expect(done.getByTestId("acknowledged-by")).toContainText("por Lucía Admin");
  await snapshot(page, "es-admin-alerts-history");
  await page.setViewportSize({ width: 768, height: 1024 });
  await snapshot(page, "es-admin-alerts-history-768");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.context().clearCookies();

  await signInAs(page, demo.otherOwner.email);
  const templatesRequests: number[] = [];
  page.on("response", (r) => {
    if (r.url().includes("templates.list")) templatesRequests.push(r.status());
  });
  await page.goto("/templates");
  const noNumber = page.getByTestId("templates-no-number");
  await expect(noNumber).toContainText("Tu panadería todavía no tiene número de WhatsApp");
  const mail = noNumber.getByRole("link", { name: "Escribe a soporte@recado.demo" });
  await expect(mail).toHaveAttribute("href", /^mailto:soporte@recado\.demo\?subject=/);
  // the page knows there is no number: it never asks for the templates (no 400 over and over)
  await page.waitForLoadState("networkidle");
  expect(templatesRequests).toEqual([]);
  await snapshot(page, "es-owner-templates-no-number");
  await page.goto("/settings");
  await expect(page.getByTestId("contact-support").getByRole("link", { name: "Escribe a soporte@recado.demo" })).toBeVisible();
  await snapshot(page, "es-owner-settings-support-link");
});

for (const { width, height, owner } of [
  { width: 1280, height: 800, owner: demo.otherOwner.email },
  { width: 390, height: 844, owner: "maite@laespiga.demo" },
]) {
  test(`an owner tags contacts and imports a Windows-1252 CSV, in Spanish at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await signInAs(page, owner);
    await page.goto("/contacts");
    await expect(page.getByRole("heading", { level: 1, name: "Contactos" })).toBeVisible();

    // a number typed wrongly: said next to the field, with an example, in plain words
    await page.getByLabel("Teléfono").fill("12345");
    await page.getByLabel("Nombre", { exact: true }).fill("Número mal escrito");
    await page.getByRole("button", { name: "Añadir (aceptó mensajes de WhatsApp)" }).click();
    const problem = page.getByTestId("phone-problem");
    await expect(problem).toContainText("«12345» no es un número de teléfono que podamos usar");
    await expect(problem).toContainText("+34 612 34 56 78");
    await expect(problem).toContainText("un número de España");
    await expect(page.getByLabel("Teléfono")).toHaveAttribute("aria-invalid", "true");
    await snapshot(page, `es-contacts-phone-error-${width}`);
    const phone = width === 1280 ? "612 000 311" : "612 000 312";
    await page.getByLabel("Teléfono").fill(phone);
    await page.getByLabel("Etiquetas (opcional, separadas por comas)").fill("Proveedores");
    await page.getByRole("button", { name: "Añadir (aceptó mensajes de WhatsApp)" }).click();
    await expect(problem).toHaveCount(0);
    const added = page.getByTestId("contact-row").filter({ hasText: "Número mal escrito" });
    await expect(added.getByTestId("tag")).toHaveText(["proveedores×"]);

    // the CSV Excel saves on Windows: Windows-1252, semicolons, "teléfono" and a tags column
    await page.getByTestId("csv-input").setInputFiles({ name: "contactos.csv", mimeType: "text/csv", buffer: fixture });
    await expect(page.getByTestId("import-report")).toBeVisible();
    await expect(page.getByTestId("import-processed")).toHaveText("3");
    await expect(page.getByTestId("import-errors")).toHaveText("0");
    await expect(page.getByTestId("import-encoding")).toHaveAttribute("data-encoding", "windows-1252");
    await expect(page.getByTestId("import-encoding")).toContainText("texto de Windows (Excel)");
    const lacteos = page.getByTestId("contact-row").filter({ hasText: "Lácteos Muñoz" });
    await expect(lacteos).toContainText("+34612000301");
    await expect(lacteos.getByTestId("tag")).toContainText(["clientes"]);
    await expect(page.getByTestId("contact-row").filter({ hasText: "Panadería Peña" }).getByTestId("tag")).toContainText([
      "clientes",
      "mayoristas",
    ]);
    await snapshot(page, `es-contacts-import-${width}`);
    await expectNoSidewaysScroll(page, width);

    // tags in bulk: two contacts selected, one tag added to both
    await page.getByLabel("Seleccionar a Lácteos Muñoz").check();
    await page.getByLabel("Seleccionar a José Ibáñez").check();
    const bulk = page.getByTestId("bulk-tags");
    await expect(bulk).toContainText("2 contactos seleccionados");
    await bulk.getByLabel("Etiqueta para los seleccionados").fill("Pedido semanal");
    await snapshot(page, `es-contacts-bulk-${width}`);
    await bulk.getByRole("button", { name: "Añadir etiqueta" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Etiqueta «Pedido semanal» añadida a 2 contactos." })).toBeVisible();
    await expect(lacteos.getByTestId("tag")).toContainText(["clientes", "pedido semanal"]);
    await expect(page.getByTestId("contact-row").filter({ hasText: "José Ibáñez" }).getByTestId("tag")).toContainText([
      "pedido semanal",
      "proveedores",
    ]);

    // and removed on one contact
    await lacteos.getByRole("button", { name: "Quitar la etiqueta clientes" }).click();
    await expect(lacteos.getByTestId("tag")).toHaveText(["pedido semanal×"]);

    // the filter by tag
    await page.getByTestId("tag-filter").selectOption("pedido semanal");
    await expect(page.getByTestId("contact-row")).toHaveCount(2);
    await snapshot(page, `es-contacts-tag-filter-${width}`);
    await expectNoSidewaysScroll(page, width);
    await page.getByTestId("tag-filter").selectOption("");

    // "Record opt-in" asks first, and for how they agreed
    await lacteos.getByRole("button", { name: "Registrar consentimiento" }).click();
    const dialog = page.getByRole("dialog", { name: "¿Registrar el consentimiento de Lácteos Muñoz?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Registrar consentimiento" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Elige cómo lo aceptó.");
    await dialog.getByLabel("En un formulario en papel").check();
    await snapshot(page, `es-contacts-opt-in-${width}`);
    await dialog.getByRole("button", { name: "Registrar consentimiento" }).click();
    await expect(dialog).toBeHidden();
    await expect(lacteos).toContainText("Con consentimiento");

    // the export opens in Spanish Excel: semicolons and a byte-order mark, with the tags
    const downloading = page.waitForEvent("download");
    await page.getByTestId("contacts-export").click();
    const download = await downloading;
    const text = readFileSync((await download.path())!, "utf8");
    expect(text.startsWith("\uFEFFphone;user_id;username;name;opted_in;marketing_stopped;tags\r\n")).toBe(true);
    expect(text).toContain(`"'+34612000301";;;Lácteos Muñoz;yes;no;pedido semanal`);

    // the owner's other pages of this area, at this width
    await page.goto("/templates");
    await expect(page.getByRole("heading", { level: 1, name: "Plantillas" })).toBeVisible();
    await expect(page.getByTestId("templates-no-number").or(page.getByTestId("templates-table"))).toBeVisible();
    await snapshot(page, `es-templates-${width}`);
    await expectNoSidewaysScroll(page, width);
    await page.goto("/settings");
    await expect(page.getByTestId("whatsapp-number")).toBeVisible();
    await snapshot(page, `es-settings-${width}`);
    await expectNoSidewaysScroll(page, width);
  });
}
