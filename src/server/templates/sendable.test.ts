/**
 * The conversation's template choice on real Postgres and the shared simulator: the template is sent in the
 * language chosen (looked up by name AND language), and only languages the template exists in are offered.
 */
import { describe, expect, inject, it } from "vitest";
import { fallbackMessageLanguages, languageChoice } from "@/lib/languages";
import { templateLanguageFallbacks } from "@/server/messaging/send";
import { testDb } from "@/test/db";
import { callerAs } from "@/test/fixtures";
import { createContactRow, createSendingTenant, resetSharedSimulatorAfterAll } from "@/test/messaging-world";
import { simulatorControl } from "@/meta-simulator/control-client";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);
const control = simulatorControl(simulatorUrl);

describe("the template's language in the conversation", () => {
  it("sends the version chosen: es when es is chosen, en when en is, whatever the bakery's language", async () => {
    const { tenant, owner, number } = await createSendingTenant(testDb(), simulatorUrl, { language: "en" });
    const caller = callerAs(testDb(), owner);
    const contact = await createContactRow(testDb(), tenant.id);
    const parameters = ["Harinas del Norte", "PO-2024-0042", "125,50 €"];
    for (const language of ["es", "en"]) {
      const sent = await caller.messages.sendTemplate({ contactId: contact.id, templateName: "po_notification", language, parameters });
      const row = await testDb().message.findUniqueOrThrow({ where: { id: sent.messageId } });
      expect(row.templateLanguage).toBe(language);
      const atMeta = (await control.messages({ phoneNumberId: number.metaPhoneNumberId })).find((m) => m.id === sent.wamid);
      expect(atMeta?.template).toMatchObject({ name: "po_notification", language, bodyParameters: parameters });
    }
    // a language the template does not exist in is refused, never replaced by another
    await expect(
      caller.messages.sendTemplate({ contactId: contact.id, templateName: "po_notification", language: "ca", parameters }),
    ).rejects.toMatchObject({ message: "Template 'po_notification' does not exist in language 'ca'" });
  });

  it("offers only the languages the template exists in; a Catalan bakery is told es is sent", async () => {
    const { owner } = await createSendingTenant(testDb(), simulatorUrl, { language: "ca" });
    const choices = await callerAs(testDb(), owner).messages.templateChoices();
    expect(choices.bakeryLanguage).toBe("ca");
    const po = choices.templates.find((t) => t.name === "po_notification")!;
    expect(po.languages.map((l) => l.language)).toEqual(["es", "en"]);
    expect(po).toMatchObject({ defaultLanguage: "es", differsFromBakery: true });
    // Meta's English sample is not offered
    expect(choices.templates.map((t) => t.name)).not.toContain("hello_world");
    // the blanks are named from the template's examples
    expect(po.languages[0]!.blanks.map((b) => [b.kind, b.example])).toEqual([
      ["supplier", "Harinas del Norte"],
      ["orderNumber", "PO-2024-0042"],
      ["total", "125,50 €"],
    ]);
  });

  it("an English bakery gets en by default and is not told otherwise", async () => {
    const { owner } = await createSendingTenant(testDb(), simulatorUrl, { language: "en" });
    const po = (await callerAs(testDb(), owner).messages.templateChoices()).templates.find((t) => t.name === "po_notification")!;
    expect(po).toMatchObject({ defaultLanguage: "en", differsFromBakery: false });
    expect(po.languages.map((l) => l.language)).toEqual(["en", "es"]);
  });
});

describe("languageChoice", () => {
  it("follows the send path's own order (bakery's language, then es, then en) and never offers a missing language", () => {
    expect([...fallbackMessageLanguages]).toEqual(templateLanguageFallbacks);
    expect(languageChoice(["en", "es"], "ca")).toEqual({ offered: ["es", "en"], chosen: "es", differsFromBakery: true });
    expect(languageChoice(["en", "ca", "es"], "ca")).toEqual({ offered: ["ca", "es", "en"], chosen: "ca", differsFromBakery: false });
    expect(languageChoice(["en_US"], "es")).toEqual({ offered: ["en_US"], chosen: "en_US", differsFromBakery: true });
    expect(languageChoice([], "es")).toEqual({ offered: [], chosen: null, differsFromBakery: false });
  });
});
