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
import { countryName, exampleForDisplay, toE164 } from "@/server/contacts/phone";
import { bsuidPlaceholder, isBsuid } from "@/server/contacts/bsuid";
import { tagsFromCell, tenantRegion } from "@/server/contacts/contacts";
import { isAppError } from "@/server/errors";
import { csvFormatExample, readContactsCsv, type CsvContactRow } from "@/lib/contacts-csv";

export type ImportRow = CsvContactRow;
/** `code` lets the page word the reason in the user's language; `reason` is the same in English (REST, CSV). */
export type ImportError = {
  row: number;
  value: string;
  code: "phone_missing" | "phone_invalid" | "user_id_invalid" | "tag_invalid";
  reason: string;
  /** the bakery's country, for "read as a number from Spain" */
  region?: string;
  example?: string;
};
export type ImportReport = { processed: number; imported: number; duplicates: number; errors: number; errorDetails: ImportError[] };

export const importLimits = { rowsPerChunk: 2000, maxErrorDetails: 500 };

const yes = new Set(["yes", "y", "true", "1", "si", "sí", "x", "opted_in"]);

/** Parses a CSV with a header row into rows numbered as in the file (the header is row 1). */
export function parseContactsCsv(csv: string): ImportRow[] {
  const parsed = readContactsCsv(csv);
  if (!parsed.ok) {
    throw new AppError("VALIDATION_FAILED", "The CSV needs a header row with a phone column (or a user_id column).", {
      found_columns: parsed.foundColumns,
      expected_columns: "phone and/or user_id (one of them per row), name, opted_in, tags",
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
  const valid: { phoneE164: string; userId: string | null; name: string | null; optedIn: boolean; tags: string[] }[] = [];
  let duplicates = 0;
  const example = exampleForDisplay(region);

  for (const row of rows) {
    const userId = row.userId?.trim() || null;
    if (userId && !isBsuid(userId)) {
      errorDetails.push({
        row: row.row,
        value: userId,
        code: "user_id_invalid",
        reason:
          "Invalid user_id: expected Meta's business-scoped user id, two capital letters, a dot and letters or digits, e.g. ES.13491208655302741918",
      });
      continue;
    }
    if (!row.phone && !userId) {
      errorDetails.push({ row: row.row, value: "", code: "phone_missing", reason: "Phone number required" });
      continue;
    }
    const phoneE164 = row.phone ? toE164(row.phone, region) : bsuidPlaceholder(userId!);
    if (!phoneE164) {
      errorDetails.push({
        row: row.row,
        value: row.phone,
        code: "phone_invalid",
        region,
        example,
        reason: `Not a valid phone number: write + and the country code, e.g. ${example} (without "+" it is read as a number from ${countryName(region)})`,
      });
      continue;
    }
    let tags: string[];
    try {
      tags = tagsFromCell(row.tags);
    } catch (error) {
      if (!isAppError(error)) throw error;
      errorDetails.push({ row: row.row, value: row.tags ?? "", code: "tag_invalid", reason: error.message });
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
      tags,
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
        tags: v.tags,
      })),
      skipDuplicates: true,
      select: { id: true, optedIn: true, phoneE164: true },
    });
    imported = created.length;
    duplicates += valid.length - created.length;
    // a number already there keeps its name and consent; the file's tags are added to it (adding twice changes nothing)
    const createdPhones = new Set(created.map((c) => c.phoneE164));
    const tagged = valid.filter((v) => !createdPhones.has(v.phoneE164) && v.tags.length > 0);
    if (tagged.length > 0) {
      await db.$executeRaw`
        UPDATE "contacts" c
           SET "tags" = ARRAY(SELECT DISTINCT t FROM unnest(c."tags" || string_to_array(v.tags, '|')) AS t ORDER BY t), "updatedAt" = now()
          FROM unnest(${tagged.map((v) => v.phoneE164)}::text[], ${tagged.map((v) => v.tags.join("|"))}::text[]) AS v(phone, tags)
         WHERE c."tenantId" = ${tenantId} AND c."phoneE164" = v.phone AND c."erasedAt" IS NULL
           AND NOT (string_to_array(v.tags, '|') <@ c."tags")`;
    }
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
