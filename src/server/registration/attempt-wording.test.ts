/**
 * A registration attempt's outcome reaches the admin as a code (+ params), worded in every language from
 * messages/<locale>/health.json `attemptMessage.<code>`; the English `message` stays for REST and the audit trail.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, inject, it } from "vitest";
import { locales } from "@/i18n/locales";
import { attemptRegistration, registrationMessageCodes } from "@/server/registration/attempts";
import { testDb } from "@/test/db";
import { createSendingTenant } from "@/test/messaging-world";

/** The params an attempt's wording may use (what attemptRegistration stores in `params`, the UI fills `detail`). */
const storedParams = { nextSlotAt: new Date(0), detail: "detail", errorCode: "META_UNAVAILABLE" };

describe("registration attempt wording", () => {
  for (const locale of locales) {
    it(`${locale}: every outcome code has its wording, formatting with the params attempts store`, () => {
      const wording = JSON.parse(readFileSync(join(process.cwd(), "messages", locale, "health.json"), "utf8")).attemptMessage as Record<
        string,
        string
      >;
      expect(Object.keys(wording).sort()).toEqual([...registrationMessageCodes].sort());
      for (const code of registrationMessageCodes) {
        const text = new IntlMessageFormat(wording[code]!, locale).format(storedParams);
        expect(typeof text === "string" && text.length > 0, `${locale}: attemptMessage.${code}`).toBe(true);
        expect(String(text), `${locale}: attemptMessage.${code}`).not.toMatch(/[{}]/);
      }
    });
  }

  it("an attempt on a number that is already registered answers with its code, not only English words", async () => {
    const db = testDb();
    const { number } = await createSendingTenant(db, inject("simulatorUrl"));
    const result = await attemptRegistration({ db, phoneNumberId: number.id, trigger: "manual" });
    expect(result).toMatchObject({ outcome: "already_registered", code: "already_registered" });
    expect(registrationMessageCodes).toContain(result.code);
  });
});
