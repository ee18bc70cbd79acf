/**
 * CSV import of contacts. The file is parsed with papaparse (quoted fields, BOM, separators);
 * rows are validated and inserted with ON CONFLICT DO NOTHING, so a number already in the tenant (or twice in
 * the file) counts as a duplicate and re-importing the same file changes nothing. Large files are sent in
 * chunks of rows (`importContactRows`), each chunk answering its part of the report; the UI adds them up and
 * shows progress.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { toE164 } from "@/server/contacts/phone";
import { bsuidPlaceholder, isBsuid, phoneOf } from "@/server/contacts/bsuid";
import { writeCsv } from "@/lib/csv-export";
import { tenantRegion } from "@/server/contacts/contacts";
import { csvFormatExample, readContactsCsv, type CsvContactRow } from "@/lib/contacts-csv";

export type ImportRow = CsvContactRow;
export type ImportError = { row: number; value: string; reason: string };
export type ImportReport = { processed: number; imported: number; duplicates: number; errors: number; errorDetails: ImportError[] };

export const importLimits = { rowsPerChunk: 2000, maxErrorDetails: 500 };

const yes = new Set(["yes", "y", "true", "1", "si", "sí", "x", "opted_in"]);

/** Parses a CSV with a header row into rows numbered as in the file (the header is row 1). */
export function parseContactsCsv(csv: string): ImportRow[] {
  const parsed = readContactsCsv(csv);
  if (!parsed.ok) {
    throw new AppError("VALIDATION_FAILED", "The CSV needs a header row with a phone column (or a user_id column).", {
      found_columns: parsed.foundColumns,
      expected_columns: "phone and/or user_id (one of them per row), name, opted_in",
      example: csvFormatExample,
    });
  }
  return parsed.rows;
}

export async function importContactRows({
  db,
  tenantId,
  rows,
  actor,
}: {
  db: Db;
  tenantId: string;
  rows: ImportRow[];
  /** who imported, for the audit trail's opt-in entries (the owner; "system" when not given) */
  actor?: Actor;
}): Promise<ImportReport> {
  const region = await tenantRegion(db, tenantId);
  const errorDetails: ImportError[] = [];
  const seen = new Set<string>();
  const valid: { phoneE164: string; userId: string | null; name: string | null; optedIn: boolean }[] = [];
  let duplicates = 0;

  for (const row of rows) {
    const userId = row.userId?.trim() || null;
    if (userId && !isBsuid(userId)) {
      errorDetails.push({
        row: row.row,
        value: userId,
        reason:
          "Invalid user_id: expected Meta's business-scoped user id, two capital letters, a dot and letters or digits, e.g. ES.13491208655302741918",
      });
      continue;
    }
    if (!row.phone && !userId) {
      errorDetails.push({ row: row.row, value: "", reason: "Phone number required" });
      continue;
    }
    const phoneE164 = row.phone ? toE164(row.phone, region) : bsuidPlaceholder(userId!);
    if (!phoneE164) {
      errorDetails.push({
        row: row.row,
        value: row.phone,
        reason: `Invalid phone format: use + country code and number, e.g. +34612345678 (without "+" it is read as a ${region} number)`,
      });
      continue;
    }
    if (seen.has(phoneE164) || (userId && seen.has(userId))) {
      duplicates += 1;
      continue;
    }
    seen.add(phoneE164);
    if (userId) seen.add(userId);
    valid.push({
      phoneE164,
      userId,
      name: row.name?.slice(0, 200) || null,
      optedIn: row.optedIn !== undefined && yes.has(row.optedIn.toLowerCase()),
    });
  }

  let imported = 0;
  if (valid.length > 0) {
    const now = new Date();
    const created = await db.contact.createManyAndReturn({
      data: valid.map((v) => ({
        tenantId,
        phoneE164: v.phoneE164,
        userId: v.userId,
        name: v.name,
        optedIn: v.optedIn,
        optedInAt: v.optedIn ? now : null,
        consentSource: v.optedIn ? "import" : null,
      })),
      skipDuplicates: true,
      select: { id: true, optedIn: true },
    });
    imported = created.length;
    duplicates += valid.length - created.length;
    const optIns = created.filter((c) => c.optedIn);
    if (optIns.length > 0) {
      await db.consentRecord.createMany({
        data: optIns.map((c) => ({
          id: randomUUID(),
          tenantId,
          contactId: c.id,
          optedIn: true,
          source: "import",
          note: "opted_in column of a CSV import",
        })),
      });
      await db.auditLog.createMany({
        data: optIns.map((c) => ({
          actorUserId: actor?.userId ?? null,
          actorLabel: actor?.label ?? "system",
          action: "contact.opt_in",
          tenantId,
          targetType: "contact",
          targetId: c.id,
          before: { optedIn: false },
          after: { optedIn: true },
          metadata: { source: "import" },
        })),
      });
    }
  }

  return {
    processed: rows.length,
    imported,
    duplicates,
    errors: errorDetails.length,
    errorDetails: errorDetails.slice(0, importLimits.maxErrorDetails),
  };
}

export async function importContactsCsv({
  db,
  tenantId,
  csv,
  actor,
}: {
  db: Db;
  tenantId: string;
  csv: string;
  actor?: Actor;
}): Promise<ImportReport> {
  const rows = parseContactsCsv(csv);
  const total: ImportReport = { processed: 0, imported: 0, duplicates: 0, errors: 0, errorDetails: [] };
  for (let i = 0; i < rows.length; i += importLimits.rowsPerChunk) {
    const part = await importContactRows({ db, tenantId, rows: rows.slice(i, i + importLimits.rowsPerChunk), actor });
    total.processed += part.processed;
    total.imported += part.imported;
    total.duplicates += part.duplicates;
    total.errors += part.errors;
    total.errorDetails.push(...part.errorDetails);
  }
  total.errorDetails = total.errorDetails.slice(0, importLimits.maxErrorDetails);
  return total;
}

/**
 * Every contact of the bakery as CSV, in the import's format plus what Meta told us: `phone` (empty for a person known
 * only by BSUID), `user_id`, `username`, `name`, `opted_in`, `marketing_stopped`. Erased contacts are left out.
 * Cells are neutralised for spreadsheets (src/lib/csv-export.ts). Importing the file again changes nothing.
 */
export async function exportContactsCsv({ db, tenantId }: { db: Db; tenantId: string }): Promise<string> {
  const contacts = await db.contact.findMany({
    where: { tenantId, erasedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { phoneE164: true, userId: true, username: true, name: true, optedIn: true, marketingOptedOutAt: true },
  });
  return writeCsv({
    fields: ["phone", "user_id", "username", "name", "opted_in", "marketing_stopped"],
    data: contacts.map((c) => [
      phoneOf(c.phoneE164) ?? "",
      c.userId ?? "",
      c.username ?? "",
      c.name ?? "",
      c.optedIn ? "yes" : "no",
      c.marketingOptedOutAt ? "yes" : "no",
    ]),
  });
}
