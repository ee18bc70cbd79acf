import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "@/server/accounts/secrets";
import { markAccountTokenInvalid, markAccountTokenValid } from "@/server/accounts/token-status";
import { testDb } from "@/test/db";

const key = Buffer.alloc(32, 3).toString("base64");

describe("secrets at rest", () => {
  it("round-trips and never stores the plain token", () => {
    const stored = encryptSecret("EAAG-secret-token", key);
    expect(stored).not.toContain("EAAG");
    expect(decryptSecret(stored, key)).toBe("EAAG-secret-token");
    expect(encryptSecret("EAAG-secret-token", key)).not.toBe(stored); // fresh IV each time
  });

  it("refuses a tampered value or the wrong key", () => {
    const stored = encryptSecret("EAAG-secret-token", key);
    const parts = stored.split(":");
    const tampered = [...parts.slice(0, 3), Buffer.from("xxxxxxxxxxxxxxxxx").toString("base64url")].join(":");
    expect(() => decryptSecret(tampered, key)).toThrow();
    expect(() => decryptSecret(stored, Buffer.alloc(32, 4).toString("base64"))).toThrow();
  });
});

describe("token status", () => {
  it("marks the account, raises one alert per account while open, and clears on success", async () => {
    const db = testDb();
    const account = await db.businessAccount.create({ data: { wabaId: `55${Date.now()}`, name: "Own WABA", kind: "TENANT_OWNED" } });
    await markAccountTokenInvalid({ db, businessAccountId: account.id, reason: "(#190) token expired" });
    await markAccountTokenInvalid({ db, businessAccountId: account.id, reason: "(#190) token expired" });
    const marked = await db.businessAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(marked.tokenInvalidAt).not.toBeNull();
    const alerts = await db.alert.findMany({ where: { dedupeKey: `token_invalid:${account.wabaId}` } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.occurrences).toBe(2);
    expect(alerts[0]!.message).toContain("reconnects WhatsApp in Settings");
    await markAccountTokenValid({ db, businessAccountId: account.id });
    expect((await db.businessAccount.findUniqueOrThrow({ where: { id: account.id } })).tokenInvalidAt).toBeNull();
  });
});
