/**
 * Contacts known by phone number, by business-scoped user id (BSUID) or both (Meta: business-scoped-user-ids).
 * Since 2026 every webhook carries the user's BSUID (`contacts[].user_id`, `messages[].from_user_id`,
 * `statuses[].recipient_user_id`), and a user who set a username may share no phone number at all; Meta accepts
 * `recipient` (the BSUID) in place of `to`.
 *
 * A contact known only by BSUID keeps the NOT NULL, unique `phoneE164` column filled with "bsuid:" and the BSUID
 * (as an erased contact holds "erased:" and a hash), so every list, audience and unique index keeps working
 * unchanged; `phoneOf` tells a real number from these markers, and `addresseeOf` picks `to` or `recipient`.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export const bsuidPattern = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
const placeholderPrefix = "bsuid:";

export const isBsuid = (value: string) => bsuidPattern.test(value);

/** What `phoneE164` holds for a contact known only by its BSUID. */
export const bsuidPlaceholder = (userId: string) => `${placeholderPrefix}${userId}`;

/** The contact's E.164 number, or null when it is known only by BSUID (or erased). */
export function phoneOf(phoneE164: string): string | null {
  return phoneE164.startsWith("+") ? phoneE164 : null;
}

/** `to` when the phone number is known, else `recipient` (the BSUID); null when neither is (an erased contact). */
export function addresseeOf(contact: { phoneE164: string; userId: string | null }): { to: string } | { recipient: string } | null {
  const phone = phoneOf(contact.phoneE164);
  if (phone) return { to: phone };
  if (contact.userId) return { recipient: contact.userId };
  return null;
}

/**
 * The recipient's country, for the rate card (Meta: pricing prices by the recipient's country calling code): from
 * the phone number, else the BSUID's two-letter prefix (the country Meta gives the user).
 */
export function recipientCountryOf(contact: { phoneE164: string; userId: string | null }): string | null {
  const phone = phoneOf(contact.phoneE164);
  if (phone) return parsePhoneNumberFromString(phone)?.country ?? null;
  return contact.userId && isBsuid(contact.userId) ? contact.userId.slice(0, 2) : null;
}
