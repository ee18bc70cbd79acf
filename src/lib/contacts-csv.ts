/**
 * The contacts CSV format, read the same way in the browser (chunked upload with progress) and on the server
 * (tRPC importCsv): a header row with a phone column (phone, telefono, movil, ...) and/or a user_id column (Meta's
 * business-scoped user id, for people known by username only), optionally name and opted_in.
 * Row numbers are the file's line numbers (the header is row 1).
 */
import Papa from "papaparse";

export type CsvContactRow = { row: number; phone: string; userId?: string; name?: string; optedIn?: string };

const phoneHeaders = ["phone", "phone_number", "telefono", "teléfono", "movil", "móvil", "mobile", "number", "whatsapp"];
const nameHeaders = ["name", "nombre", "nom", "izena"];
const userIdHeaders = ["user_id", "bsuid", "userid"];
const optInHeaders = ["opted_in", "opt_in", "consent", "consentimiento"];

export const csvFormatExample = "phone,name,opted_in\n+34612345678,Harinas del Norte,yes";

export function readContactsCsv(csv: string): { ok: true; rows: CsvContactRow[] } | { ok: false; foundColumns: string[] } {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  const phoneField = fields.find((f) => phoneHeaders.includes(f));
  const userIdField = fields.find((f) => userIdHeaders.includes(f));
  if (!phoneField && !userIdField) return { ok: false, foundColumns: fields };
  const nameField = fields.find((f) => nameHeaders.includes(f));
  const optInField = fields.find((f) => optInHeaders.includes(f));
  const rows: CsvContactRow[] = [];
  // empty lines are kept by the parser and skipped here, so that row numbers match the file's lines
  parsed.data.forEach((record, index) => {
    if (Object.values(record).every((v) => !v || !String(v).trim())) return;
    rows.push({
      row: index + 2,
      phone: phoneField ? (record[phoneField] ?? "").trim() : "",
      ...(userIdField && record[userIdField]?.trim() ? { userId: record[userIdField].trim() } : {}),
      ...(nameField && record[nameField]?.trim() ? { name: record[nameField].trim() } : {}),
      ...(optInField && record[optInField]?.trim() ? { optedIn: record[optInField].trim() } : {}),
    });
  });
  return { ok: true, rows };
}
