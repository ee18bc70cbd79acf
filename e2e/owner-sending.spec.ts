/**
 * A Spanish owner sends, in Spanish, at 1280 px and 390 px: a template from the conversation (the language chosen
 * is the one Meta receives; blanks named "Proveedor", "Número de pedido", "Total" with a live preview), and a
 * broadcast scheduled for a date and time in the bakery's time zone (chosen in Settings, shown in words), its date
 * and time picked in Spanish whatever the browser's language, moved, its template language, blanks and audience
 * changed, then cancelled. An unknown broadcast or contact says so at once.
 * Uses Panadería San Juan with the shared number +34 612 345 680 and gives the number back at the end.
 */
import { expect, test, type Page } from "@playwright/test";
import { snapshot } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3100);
const simPort = Number(process.env.E2E_SIM_PORT ?? 4110);
const adminApi = `http://localhost:${port}/api/v1/admin/whatsapp`;
const adminAuth = { authorization: "Bearer local-admin-api-token-0123456789", "content-type": "application/json" };
const owner = "ana@sanjuan.demo";
const numberId = "106540352242924";
const supplier = { name: "Harinas Molino Sur", phone: "+34611222333" };

test.use({ locale: "es-ES", timezoneId: "Europe/Madrid" });

async function sanJuanId(): Promise<string> {
  const tenants = (await (await fetch(`${adminApi}/tenants?search=San%20Juan`, { headers: adminAuth })).json()) as { tenant_id: string }[];
  return tenants[0]!.tenant_id;
}

/** Signs in by the form's fields (whatever language the sign-in page speaks). */
async function signIn(page: Page) {
  await page.goto("/signin");
  await page.locator('input[type="email"]').fill(owner);
  await page.locator('input[type="password"]').fill("recado-demo");
  await page.locator('input[type="password"]').press("Enter");
  await expect(page).not.toHaveURL(/\/signin/);
}

/**
 * Nothing of these pages reaches past the viewport: the right edge of everything in <main>. (The header's menu
 * is the app shell's, made to fit 390 px by its own change; the whole page's scrollWidth is checked there.)
 */
async function expectFitsWidth(page: Page, width: number) {
  const widest = await page.evaluate(() =>
    Math.max(...[...document.querySelectorAll("main, main *")].map((el) => Math.ceil(el.getBoundingClientRect().right))),
  );
  expect(widest).toBeLessThanOrEqual(width);
}

test.beforeAll(async () => {
  const assigned = await fetch(`${adminApi}/tenants/${await sanJuanId()}/assign-phone`, {
    method: "POST",
    headers: adminAuth,
    body: JSON.stringify({ phone_number_id: numberId, acknowledge_warnings: true }),
  });
  expect(assigned.status).toBe(200);
});

test.afterAll(async () => {
  await fetch(`${adminApi}/tenants/${await sanJuanId()}/unassign-phone`, { method: "DELETE", headers: adminAuth });
});

/** WhatsApp on and one supplier who opted in (a CSV import: a second import of the same row changes nothing). */
async function readyToSend(page: Page) {
  await page.goto("/settings");
  const toggle = page.getByRole("switch").first();
  if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.goto("/contacts");
  const csv = ["phone,name,opted_in", `${supplier.phone},${supplier.name},yes`].join("\n");
  await page.getByTestId("csv-input").setInputFiles({ name: "proveedores.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-processed")).toHaveText("1");
  // the contacts table as stored, whatever the import card refreshed
  await page.reload();
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width === 390 ? 844 : 900 } });

    test("the conversation sends the template in the language chosen, with named blanks and a live preview", async ({ page }) => {
      await signIn(page);
      await readyToSend(page);
      await page.getByRole("row").filter({ hasText: supplier.name }).locator('a[href^="/messages/"]').first().click();
      await expect(page.getByRole("heading", { level: 1, name: supplier.name })).toBeVisible();

      const template = page.getByRole("combobox", { name: "Plantilla" });
      await expect(template).toHaveValue("po_notification");
      await expect(template.locator("option")).not.toContainText(["hello_world"]);
      const language = page.getByRole("combobox", { name: "Idioma" });
      // only the languages po_notification exists in
      // (the order puts the bakery's own message language first; an earlier spec may have changed it)
      await expect(language.locator("option")).toHaveCount(2);
      expect((await language.locator("option").allTextContents()).sort()).toEqual(["English", "Español"]);
      await language.selectOption({ label: "English" });
      await expect(page.getByTestId("template-language-note")).toHaveText(/[Ss]e enviará en English\.$/);
      await language.selectOption({ label: "Español" });
      await expect(page.getByTestId("template-language-note")).toHaveText(/[Ss]e enviará en Español\.$/);

      const preview = page.getByTestId("template-preview");
      await expect(preview).toContainText("Hola [Proveedor], te enviamos el pedido [Número de pedido] por un total de [Total].");
      await expect(page.getByLabel("Proveedor", { exact: true })).toHaveAttribute("placeholder", "p. ej. Harinas del Norte");
      await page.getByLabel("Proveedor", { exact: true }).fill(supplier.name);
      await page.getByLabel("Número de pedido", { exact: true }).fill(`PO-${width}`);
      await expect(preview).toContainText(`Hola ${supplier.name}, te enviamos el pedido PO-${width} por un total de [Total].`);
      await page.getByLabel("Total", { exact: true }).fill("86,40 €");
      await expect(preview).toContainText(`por un total de 86,40 €. Gracias.`);
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-conversation-es-${width}`);

      await page.getByRole("button", { name: "Enviar plantilla" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Enviado a WhatsApp" })).toBeVisible();
      await expect(page.getByTestId("conversation")).toContainText(`te enviamos el pedido PO-${width} por un total de 86,40 €`);
      // Meta received the Spanish version
      const sent = (await (await fetch(`http://127.0.0.1:${simPort}/__sim/messages?phoneNumberId=${numberId}`)).json()) as {
        messages: { template: { name: string; language: string; bodyParameters: string[] } | null }[];
      };
      const ours = sent.messages.filter((m) => m.template?.bodyParameters[1] === `PO-${width}`);
      expect(ours.map((m) => m.template?.language)).toEqual(["es"]);
      await snapshot(page, `owner-conversation-es-sent-${width}`);
    });

    test("the time zone set in Settings; a broadcast scheduled in it, moved, edited, then cancelled", async ({ page }) => {
      await signIn(page);
      await readyToSend(page);
      // the bakery is on the Canaries: Settings offers Spain's two zones first, in words
      await page.goto("/settings");
      const zone = page.getByRole("combobox", { name: "Zona horaria de la panadería" });
      await expect(zone.locator("optgroup").first().locator("option")).toHaveText([
        /^España peninsular y Baleares \(hora de Europa central\)$/,
        /^Canarias \(hora de Europa occidental\)$/,
      ]);
      await zone.selectOption("Atlantic/Canary");
      await expect(page.getByRole("status").filter({ hasText: "Zona horaria guardada: hora de Europa occidental." })).toBeVisible();
      await expect(page.getByTestId("time-zone-current")).toHaveText("Fechas y horas de tus difusiones: hora de Europa occidental.");
      await page.reload();
      await expect(zone).toHaveValue("Atlantic/Canary");
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-settings-time-zone-es-${width}`);

      await page.goto("/broadcasts");
      await expect(page.getByRole("heading", { level: 1, name: "Difusiones" })).toBeVisible();
      const name = `Roscón de Reyes ${width}`;
      await expect(page.getByLabel("Nombre", { exact: true })).toHaveAttribute("placeholder", "Oferta de Panadería San Juan");
      await page.getByLabel("Nombre", { exact: true }).fill(name);
      await page.getByRole("combobox", { name: "Plantilla" }).selectOption({ label: "po_notification" });
      await expect(page.getByTestId("template-language-note")).toHaveText(/[Ss]e enviará en Español\.$/);
      await page.getByLabel("Texto para Número de pedido").fill("RR-2027");
      await page.getByLabel("Texto para Total").fill("18 €");
      await expect(page.getByTestId("broadcast-live-preview")).toContainText(
        "Hola [Nombre del contacto], te enviamos el pedido RR-2027 por un total de 18 €.",
      );

      await page.getByLabel("En una fecha y hora").check();
      // the date and time in Spanish (day names, 24 h), not in the browser's own format
      await page.getByLabel("Fecha", { exact: true }).selectOption("2027-01-05");
      await expect(page.getByLabel("Fecha", { exact: true }).locator("option:checked")).toHaveText("mar, 5 ene 2027");
      await page.getByLabel("Hora", { exact: true }).selectOption("09");
      await page.getByLabel("Minutos", { exact: true }).selectOption("30");
      await expect(page.getByTestId("schedule-zone")).toHaveText(
        "Empieza el martes, 5 de enero de 2027, 9:30 (hora de Europa occidental).",
      );
      await page.getByRole("button", { name: "Revisar" }).click();
      const preview = page.getByTestId("broadcast-preview");
      await expect(preview).toContainText(/La recibirán? \d+ personas?/);
      // the cost estimate before it starts (issue 17): the rate card's price for the bakery's recipients
      const estimate = preview.getByTestId("cost-estimate");
      await expect(estimate).toContainText("Coste estimado");
      await expect(estimate).toContainText(/Unos \d+[.,]\d{2} USD/);
      await expect(estimate).toContainText(/\d+ de pago, \d+ gratis/);
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-broadcast-schedule-es-${width}`);
      await preview.getByRole("button", { name: /^Programar para \d+ personas? el 5 ene 2027, 9:30$/ }).click();

      await expect(page).toHaveURL(/\/broadcasts\/[^/]+$/);
      const schedule = page.getByTestId("broadcast-schedule");
      await expect(schedule).toContainText("Empieza el martes, 5 de enero de 2027, 9:30 (hora de Europa occidental)");
      await expect(schedule).toContainText("Fechas y horas: hora de Europa occidental.");
      await schedule.getByLabel("Hora", { exact: true }).selectOption("11");
      await schedule.getByLabel("Minutos", { exact: true }).selectOption("00");
      await schedule.getByRole("button", { name: "Cambiar inicio" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Inicio cambiado" })).toBeVisible();
      await expect(schedule).toContainText("Empieza el martes, 5 de enero de 2027, 11:00");
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-broadcast-scheduled-es-${width}`);

      // until it starts, its template language, blanks and audience can be changed
      await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
      await expect(page.getByText("Plantilla po_notification (es)")).toBeVisible();
      await page.getByTestId("edit-broadcast").click();
      const edit = page.getByTestId("edit-broadcast-form");
      await expect(edit.getByLabel("Nombre", { exact: true })).toHaveValue(name);
      await expect(edit.getByLabel("Texto para Número de pedido")).toHaveValue("RR-2027");
      await edit.getByRole("combobox", { name: "Idioma" }).selectOption({ label: "English" });
      const blanks = edit.getByRole("textbox", { name: /^Texto para/ });
      await blanks.nth(0).fill("RR-2027-EN");
      await blanks.nth(1).fill("18 EUR");
      await edit.getByLabel("Los números de un archivo CSV").check();
      await edit
        .getByLabel("CSV del público")
        .setInputFiles({ name: "proveedor.csv", mimeType: "text/csv", buffer: Buffer.from(`phone\n${supplier.phone}\n`) });
      await expect(edit.getByLabel("Hora", { exact: true })).toHaveValue("11");
      await edit.getByRole("button", { name: "Revisar" }).click();
      await expect(edit.getByTestId("broadcast-preview")).toContainText("RR-2027-EN");
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-broadcast-edit-es-${width}`);
      await edit.getByRole("button", { name: "Guardar cambios para 1 persona" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Cambios guardados." })).toBeVisible();
      await expect(page.getByText("Plantilla po_notification (en)")).toBeVisible();
      await expect(schedule).toContainText("Empieza el martes, 5 de enero de 2027, 11:00");
      // saved: the form opened again shows the new language, blanks and audience
      await page.reload();
      await page.getByTestId("edit-broadcast").click();
      await expect(edit.getByRole("combobox", { name: "Idioma" })).toHaveValue("en");
      await expect(edit.getByRole("textbox", { name: /^Texto para/ }).nth(0)).toHaveValue("RR-2027-EN");
      await expect(edit.getByLabel("Los números de un archivo CSV")).toBeChecked();
      await expect(edit.getByTestId("csv-file-name")).toHaveText("proveedor.csv");
      await edit.getByRole("button", { name: "Dejarla como estaba" }).click();
      await expect(edit).toHaveCount(0);

      await page.goto("/broadcasts");
      const row = page.getByTestId("broadcast-list").locator("li").filter({ hasText: name });
      await expect(row).toContainText("Programada");
      await expect(row).toContainText("po_notification · empieza el 5 ene 2027, 11:00");
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-broadcast-list-es-${width}`);

      await row.getByRole("link", { name }).click();
      await page.getByTestId("broadcast-schedule").getByRole("button", { name: "Cancelar difusión" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Sí, cancelarla" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Difusión cancelada" })).toBeVisible();
      await expect(page.getByTestId("broadcast-schedule")).toHaveCount(0);
      await page.goto("/broadcasts");
      await expect(page.getByTestId("broadcast-list").locator("li").filter({ hasText: name })).toContainText("Cancelada");

      // back to Madrid for the other journeys
      await page.goto("/settings");
      await zone.selectOption("Europe/Madrid");
      await expect(page.getByTestId("time-zone-current")).toHaveText("Fechas y horas de tus difusiones: hora de Europa central.");
    });

    test("the overview shows this month's spend and the share of today's conversations left", async ({ page }) => {
      await signIn(page);
      await page.goto("/dashboard");
      await expect(page.getByTestId("spend-card")).toContainText("Gastado hasta ahora");
      const share = page.getByTestId("share-left-card");
      await expect(share).toContainText(/Quedan \d+ de \d+/);
      await expect(share).toContainText(/\d+ iniciadas en las últimas 24 horas/);
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-overview-costs-es-${width}`);
    });

    test("an unknown broadcast or contact says so at once", async ({ page }) => {
      await signIn(page);
      await page.goto("/broadcasts/no-such-broadcast");
      await expect(page.getByRole("heading", { level: 1, name: "Esta difusión no existe" })).toBeVisible({ timeout: 3_000 });
      await page.goto("/messages/no-such-contact");
      await expect(page.getByRole("heading", { level: 1, name: "Este contacto no existe" })).toBeVisible({ timeout: 3_000 });
      await expectFitsWidth(page, width);
      await snapshot(page, `owner-contact-not-found-es-${width}`);
    });
  });
}
