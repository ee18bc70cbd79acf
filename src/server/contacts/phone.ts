/**
 * Phone numbers to E.164 with libphonenumber-js. A number typed without "+" is read in the tenant's default
 * region (ES unless the tenant says otherwise), so "612 34 56 78" becomes +34612345678.
 */
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { AppError } from "@/server/errors";

export function exampleNumberFor(region: string): string {
  return getExampleNumber(region as CountryCode, examples)?.number ?? "+34612345678";
}

/** E.164, or null when the input is not a valid number. */
export function toE164(raw: string, defaultRegion: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed) return null;
  // "0034..." is common in Spain; libphonenumber reads "00" as the international prefix only for some regions
  const input = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(input, defaultRegion as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** The example written as people write it: "+34 612 34 56 78". */
export function exampleForDisplay(region: string): string {
  return getExampleNumber(region as CountryCode, examples)?.formatInternational() ?? "+34 612 34 56 78";
}

/** "Spain" for ES: plain words instead of a region code in messages. */
export function countryName(region: string, locale = "en"): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(region) ?? region;
  } catch {
    return region;
  }
}

/**
 * What was given, the expected format and an example. `field` and `region` let the page say it next to the
 * field, in the user's language ("a number from Spain").
 */
export function invalidPhoneError(provided: string, defaultRegion: string): AppError {
  const example = exampleNumberFor(defaultRegion);
  return new AppError("INVALID_PHONE_FORMAT", "Phone number must be in E.164 format", {
    field: "phone",
    provided,
    expected_format: example,
    example: `+ country code and number, e.g. ${exampleForDisplay(defaultRegion)}; without "+" the number is read as a number from ${countryName(defaultRegion)}`,
    example_display: exampleForDisplay(defaultRegion),
    region: defaultRegion,
  });
}

export function normalizePhoneOrThrow(raw: string, defaultRegion: string): string {
  const e164 = toE164(raw, defaultRegion);
  if (!e164) throw invalidPhoneError(raw, defaultRegion);
  return e164;
}
