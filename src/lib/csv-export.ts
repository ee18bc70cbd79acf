/**
 * Every CSV Recado writes goes through here. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is read as a formula by spreadsheets; names come from customers' WhatsApp profiles, so such a cell is prefixed
 * with `'` (OWASP, CSV injection: https://owasp.org/www-community/attacks/CSV_Injection).
 */
import Papa from "papaparse";

/**
 * papaparse's own `escapeFormulae: true` pattern ends in `.*$`, which misses a formula followed by a line break.
 * A plain signed number (an E.164 phone "+34612345678", "-5") holds no formula and stays as it is.
 */
export const formulaLeadingCell = /^(?![+-][\d .,]*$)[=+\-@\t\r]/;

export function writeCsv({ fields, data }: { fields: string[]; data: unknown[][] }): string {
  return Papa.unparse({ fields, data }, { escapeFormulae: formulaLeadingCell });
}
