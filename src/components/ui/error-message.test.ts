import { TRPCError } from "@trpc/server";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeError, type ErrorTranslator } from "@/components/ui/error-message";
import { locales, type Locale } from "@/i18n/locales";
import { readMessages } from "@/i18n/messages";
import { publicIssues } from "@/server/api/trpc";
import { AppError, appErrorCodes } from "@/server/errors";

const translator = (locale: Locale) =>
  createTranslator({ locale, messages: readMessages(locale), namespace: "errors" }) as unknown as ErrorTranslator;
const say = (locale: Locale, error: unknown) => describeError(error, translator(locale), locale);

/** What the browser's tRPC client holds after the formatter of src/server/api/trpc.ts answered. */
function clientError(message: string, data: Record<string, unknown>) {
  return Object.assign(new Error(message), { name: "TRPCClientError", data: { httpStatus: 400, ...data } });
}

describe("errors in the reader's language", () => {
  it("words bad input per field from zod's facts, never from its English text", () => {
    const schema = z.object({ newPassword: z.string().min(12, "expected at least 12 characters"), language: z.enum(["es", "ca"]) });
    const parsed = schema.safeParse({ newPassword: "short", language: "fr" });
    const error = clientError("Invalid input: newPassword — expected at least 12 characters", {
      code: "BAD_REQUEST",
      appCode: "VALIDATION_FAILED",
      issues: publicIssues(parsed.error!),
    });
    expect(say("es", error)).toBe(
      "Revisa lo que has escrito: Contraseña nueva: se esperaban al menos 12 caracteres; Idioma: se esperaba uno de estos: es, ca.",
    );
    expect(say("ca", error)).toBe(
      "Revisa el que has escrit: Contrasenya nova: s'esperaven com a mínim 12 caràcters; Idioma: s'esperava un d'aquests: es, ca.",
    );
    // English readers get the message written on the server, with its example
    expect(say("en", error)).toBe("Invalid input: newPassword — expected at least 12 characters");
  });

  it("tells cases of one code apart by their details, in every language", () => {
    const error = clientError("+34 612 is already assigned to another tenant: 'Forn de Sant Pere'.", {
      code: "CONFLICT",
      appCode: "CONFLICT",
      details: { assignedTenantId: "t1", assignedTenantName: "Forn de Sant Pere" },
    });
    expect(say("es", error)).toBe("Este número ya es de Forn de Sant Pere. Quítaselo allí primero.");
    expect(say("ca", error)).toBe("Aquest número ja és de Forn de Sant Pere. Treu-l'hi allà primer.");
    expect(say("en", error)).toBe("This number already belongs to Forn de Sant Pere. Unassign it there first.");
  });

  it("uses the code's own line when no case matches; English keeps the server's text", () => {
    const error = clientError("Only a paused thing can be resumed.", { code: "CONFLICT", appCode: "CONFLICT", details: {} });
    expect(say("es", error)).toBe("Esto ha cambiado mientras tanto. Recarga la página y vuelve a intentarlo.");
    expect(say("en", error)).toBe("Only a paused thing can be resumed.");
  });

  it("maps tRPC's own codes (a role check) onto ours", () => {
    const error = clientError("This is available to platform admins only.", { code: "FORBIDDEN", appCode: null });
    expect(say("ca", error)).toBe("Això no està disponible amb el teu compte.");
  });

  it("falls back to a translated generic line for a code it does not know, never the code", () => {
    const error = clientError("Brand new failure", { code: "BAD_GATEWAY", appCode: "SOMETHING_NEW" });
    expect(say("es", error)).toBe("Algo no ha ido bien. Vuelve a intentarlo en un momento.");
    expect(say("es", error)).not.toContain("SOMETHING_NEW");
    expect(say("es", new Error("boom"))).toBe("Algo no ha ido bien. Vuelve a intentarlo en un momento.");
    expect(say("en", { weird: true })).toBe("Something went wrong. Try again in a moment.");
  });

  it("shows the reference of an unexpected error and says so when the server was not reached", () => {
    const unexpected = clientError("Something went wrong on our side…", {
      code: "INTERNAL_SERVER_ERROR",
      appCode: "INTERNAL_ERROR",
      reference: "a1b2c3",
    });
    expect(say("es", unexpected)).toBe("Algo ha fallado por nuestra parte. Si vuelve a pasar, indícanos la referencia a1b2c3.");
    const unreachable = Object.assign(new Error("Failed to fetch"), { name: "TRPCClientError" });
    expect(say("ca", unreachable)).toBe("No hem pogut connectar amb Recado. Comprova la connexió i torna-ho a provar.");
  });

  it("reads a server-side TRPCError caused by an AppError (server components)", () => {
    const cause = new AppError("INVALID_PHONE_FORMAT", "Phone number must be in E.164 format", {
      provided: "612",
      expected_format: "+34612345678",
    });
    const error = new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
    expect(say("es", error)).toBe("«612» no es un número de teléfono válido. Escríbelo con el prefijo del país, p. ej. +34612345678.");
  });

  it("has a line for every error code in every language", () => {
    for (const locale of locales) {
      const t = translator(locale);
      for (const code of appErrorCodes) expect(t.has(`code.${code}`), `${locale}: ${code}`).toBe(true);
    }
  });
});
