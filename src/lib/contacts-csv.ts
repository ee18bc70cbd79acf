/**
 * The contacts CSV format, read the same way in the browser (chunked upload with progress) and on the server
 * (tRPC importCsv): a header row with a phone column (phone, telefono, movil, ...) and/or a user_id column (Meta's
 * business-scoped user id, for people known by username only), optionally name, opted_in and tags.
 * Row numbers are the file's line numbers (the header is row 1).
 */
import Papa from "papaparse";

export type CsvContactRow = { row: number; phone: string; userId?: string; name?: string; optedIn?: string; tags?: string };

const phoneHeaders = [
  "phone",
  "phone_number",
  "telefono",
  "teléfono",
  "telèfon",
  "telefon",
  "movil",
  "móvil",
  "mòbil",
  "mobile",
  "number",
  "whatsapp",
];
const nameHeaders = ["name", "nombre", "nom", "izena"];
const userIdHeaders = ["user_id", "bsuid", "userid"];
const optInHeaders = ["opted_in", "opt_in", "consent", "consentimiento", "consentiment"];
const tagHeaders = ["tags", "tag", "etiquetas", "etiqueta", "etiquetes"];

export const csvFormatExample = "phone,name,opted_in,tags\n+34612345678,Harinas del Norte,yes,proveedores";

export type CsvEncoding = "utf-8" | "windows-1252";

/**
 * The text of an uploaded file, whatever Excel saved it as. The rule: bytes that are valid UTF-8 (with or
 * without a byte-order mark) are UTF-8; anything else is Windows-1252, which Excel on Windows writes for
 * "CSV (comma delimited)" in Spain. A Spanish text in Windows-1252 is practically never valid UTF-8 (é is the
 * single byte E9, which UTF-8 only allows as the first byte of a 3-byte sequence), so the strict UTF-8 decode
 * tells them apart with certainty on the files we get; a statistical detector (chardet, jschardet) guesses
 * between Latin code pages on short files and can only do worse here. TextDecoder is in every browser and in
 * Node, so nothing is added to the bundle.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
  }
}

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
  const tagsField = fields.find((f) => tagHeaders.includes(f));
  const rows: CsvContactRow[] = [];
  // empty lines are kept by the parser and skipped here, so that row numbers match the file's lines
  parsed.data.forEach((record, index) => {
    if (Object.values(record).every((v) => !v || !String(v).trim())) return;
    rows.push({
      row: index + 2,
      // a leading ' is how Recado's exports (csv-export.ts) keep "+34…" as text: an exported file imports back
      phone: phoneField ? (record[phoneField] ?? "").trim().replace(/^'(?=[+\d])/, "") : "",
      ...(userIdField && record[userIdField]?.trim() ? { userId: record[userIdField].trim() } : {}),
      ...(nameField && record[nameField]?.trim() ? { name: record[nameField].trim() } : {}),
      ...(optInField && record[optInField]?.trim() ? { optedIn: record[optInField].trim() } : {}),
      ...(tagsField && record[tagsField]?.trim() ? { tags: record[tagsField].trim() } : {}),
    });
  });
  return { ok: true, rows };
}
