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

/** What was given, the expected format and an example. */
export function invalidPhoneError(provided: string, defaultRegion: string): AppError {
  const example = exampleNumberFor(defaultRegion);
  return new AppError("INVALID_PHONE_FORMAT", "Phone number must be in E.164 format", {
    provided,
    expected_format: example,
    example: `+ country code and number, e.g. ${example}; without "+" the number is read as a ${defaultRegion} number`,
  });
}

export function normalizePhoneOrThrow(raw: string, defaultRegion: string): string {
  const e164 = toE164(raw, defaultRegion);
  if (!e164) throw invalidPhoneError(raw, defaultRegion);
  return e164;
}
