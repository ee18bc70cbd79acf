import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/server/env";

const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/recado",
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "x".repeat(32),
  META_GRAPH_BASE_URL: "https://graph.facebook.com",
  META_GRAPH_API_VERSION: "v25.0",
  META_APP_ID: "1234",
  META_APP_SECRET: "secret",
  META_MASTER_WABA_ID: "102290129340398",
  META_ACCESS_TOKEN: "EAAG...",
  META_WEBHOOK_VERIFY_TOKEN: "verify",
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
};

describe("environment validation", () => {
  it("accepts a complete environment and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.NODE_ENV).toBe("development");
  });

  it("names every missing variable", () => {
    const { NEXTAUTH_SECRET: _a, META_ACCESS_TOKEN: _b, ...rest } = valid;
    const error = (() => {
      try {
        parseEnv(rest);
      } catch (e) {
        return e;
      }
    })() as EnvError;
    expect(error).toBeInstanceOf(EnvError);
    expect(error.problems).toEqual([
      { name: "NEXTAUTH_SECRET", problem: "required but not set" },
      { name: "META_ACCESS_TOKEN", problem: "required but not set" },
    ]);
    expect(error.message).toContain("NEXTAUTH_SECRET: required but not set");
  });

  it("says what a malformed variable should look like, without echoing secrets", () => {
    const secret = "short-secret";
    expect(() => parseEnv({ ...valid, META_GRAPH_API_VERSION: "25", NEXTAUTH_SECRET: secret })).toThrow(
      /META_GRAPH_API_VERSION: expected a Graph API version such as v25.0/,
    );
    try {
      parseEnv({ ...valid, NEXTAUTH_SECRET: secret });
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });
});
