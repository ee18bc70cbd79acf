/**
 * Server errors of the contacts pages in the user's language: the error code and its details pick the
 * translation; the server's English message is only the fallback for codes this page does not know.
 */
type Translate = (key: string, values?: Record<string, string | number>) => string;

export type ServerError = { message: string; data?: { appCode?: string | null; details?: unknown } | null };

export function countryName(region: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(region) ?? region;
  } catch {
    return region;
  }
}

export function contactErrorText(t: Translate, locale: string, error: ServerError): string {
  const code = error.data?.appCode;
  const details = (error.data?.details ?? {}) as Record<string, unknown>;
  if (code === "INVALID_PHONE_FORMAT") {
    return t("add.phoneInvalid", {
      value: String(details.provided ?? ""),
      example: String(details.example_display ?? "+34 612 34 56 78"),
      country: countryName(String(details.region ?? "ES"), locale),
    });
  }
  if (code === "VALIDATION_FAILED" && details.field === "tags") {
    return details.max ? t("tags.tooMany") : t("tags.invalid", { tag: String(details.provided ?? "") });
  }
  if (code === "NOT_FOUND") return t("errors.notFound");
  return t("errors.generic", { message: error.message });
}
