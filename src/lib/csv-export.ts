/**
 * Every CSV Recado writes goes through here. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is read as a formula by spreadsheets; names come from customers' WhatsApp profiles, so such a cell is prefixed
 * with `'` (OWASP, CSV injection: https://owasp.org/www-community/attacks/CSV_Injection).
 */
import Papa from "papaparse";

/**
 * papaparse's own `escapeFormulae: true` pattern ends in `.*$`, which misses a formula followed by a line break.
 * Phones are neutralised too ("+34…" → "'+34…"): a spreadsheet then keeps them as text instead of a number.
 */
export const formulaLeadingCell = /^[=+\-@\t\r]/;

export function writeCsv({ fields, data }: { fields: string[]; data: unknown[][] }): string {
  return Papa.unparse({ fields, data }, { escapeFormulae: formulaLeadingCell });
}
