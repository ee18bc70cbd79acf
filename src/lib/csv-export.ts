/**
 * Every CSV Recado writes goes through here. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is read as a formula by spreadsheets; names come from customers' WhatsApp profiles, so such a cell is prefixed
 * with `'` (OWASP, CSV injection: https://owasp.org/www-community/attacks/CSV_Injection).
 *
 * The file suits the spreadsheet of the user's language: Excel set to Spanish or Catalan uses the comma as the
 * decimal sign and reads `;` as the list separator, and opens a file without a byte-order mark in the system's
 * ANSI code page (é shows as Ã©). So es/ca get `;` and a UTF-8 BOM; English (and callers that name no language,
 * e.g. the REST API) get the plain comma-separated UTF-8 they always got.
 */
import Papa from "papaparse";

/**
 * papaparse's own `escapeFormulae: true` pattern ends in `.*$`, which misses a formula followed by a line break.
 * Phones are neutralised too ("+34…" → "'+34…"): a spreadsheet then keeps them as text instead of a number.
 */
export const formulaLeadingCell = /^[=+\-@\t\r]/;

const semicolonLocales = new Set(["es", "ca"]);

/** The separator and byte-order mark of a CSV meant for a spreadsheet in this language. */
export function csvDialect(locale?: string | null): { delimiter: "," | ";"; bom: boolean } {
  const language = (locale ?? "").toLowerCase().split("-")[0] ?? "";
  return semicolonLocales.has(language) ? { delimiter: ";", bom: true } : { delimiter: ",", bom: false };
}

export function writeCsv({ fields, data, locale }: { fields: string[]; data: unknown[][]; locale?: string | null }): string {
  const { delimiter, bom } = csvDialect(locale);
  const text = Papa.unparse({ fields, data }, { escapeFormulae: formulaLeadingCell, delimiter });
  return bom ? `\uFEFF${text}` : text;
}
