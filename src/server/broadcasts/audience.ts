/**
 * Who a broadcast goes to. Only contacts who opted in and are not flagged "not on WhatsApp" are sent to; the
 * rest are counted so the owner sees why the number of recipients is smaller than the audience.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { toE164 } from "@/server/contacts/phone";
import { z } from "zod";

export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("tag"), tag: z.string().trim().min(1, "expected a tag, e.g. clientes").max(60) }),
  z.object({
    kind: z.literal("csv"),
    fileName: z.string().max(200),
    /** the phone column of the uploaded file, as typed */
    phones: z
      .array(z.string().max(40))
      .min(1, "expected at least one phone number in the file")
      .max(100_000, "at most 100,000 rows per broadcast"),
  }),
]);
/**
 * What a broadcast's audience may be: what an owner chooses (audienceSchema), or the contacts a retry of failed
 * recipients goes to (src/server/broadcasts/retry.ts; never accepted as input).
 */
export type Audience = z.infer<typeof audienceSchema> | { kind: "contacts"; contactIds: string[]; retryOf: string };

export type AudienceCounts = {
  /** people the broadcast will actually be sent to */
  eligible: number;
  excludedOptedOut: number;
  excludedNotOnWhatsApp: number;
  excludedInvalid: number;
};

/** For a CSV audience: the file's numbers in E.164 (deduplicated, in file order) and how many were invalid. */
export function normalizeCsvPhones(phones: string[], region: string): { e164: string[]; invalid: number } {
  const seen = new Set<string>();
  let invalid = 0;
  for (const raw of phones) {
    const e164 = toE164(raw, region);
    if (!e164) invalid += 1;
    else seen.add(e164);
  }
  return { e164: [...seen], invalid };
}

/** The SQL condition selecting the audience's contacts of a tenant (before consent is looked at). */
/** An erased contact (GDPR) is in no audience: its row only holds the consent proof. */
export function audienceCondition(tenantId: string, audience: Audience, csvE164: string[] = []): Prisma.Sql {
  const ofBakery = Prisma.sql`c."tenantId" = ${tenantId} AND c."erasedAt" IS NULL`;
  // tags are stored in lower case (contacts.normalizeTag): "Clientes" typed in the form finds them
  if (audience.kind === "tag") return Prisma.sql`${ofBakery} AND lower(btrim(${audience.tag})) = ANY(c."tags")`;
  if (audience.kind === "csv") return Prisma.sql`${ofBakery} AND c."phoneE164" = ANY(${csvE164}::text[])`;
  if (audience.kind === "contacts") return Prisma.sql`${ofBakery} AND c."id" = ANY(${audience.contactIds}::text[])`;
  return ofBakery;
}

export const eligibleContact = Prisma.sql`c."optedIn" AND c."notOnWhatsAppAt" IS NULL`;

export async function countAudience({
  db,
  tenantId,
  audience,
  region,
}: {
  db: Db;
  tenantId: string;
  audience: Audience;
  region: string;
}): Promise<AudienceCounts> {
  const csv = audience.kind === "csv" ? normalizeCsvPhones(audience.phones, region) : { e164: [], invalid: 0 };
  const [row] = await db.$queryRaw<{ eligible: number; opted_out: number; not_on_whatsapp: number; matched: number }[]>`
    SELECT count(*) FILTER (WHERE ${eligibleContact})::int AS eligible,
           count(*) FILTER (WHERE NOT c."optedIn")::int AS opted_out,
           count(*) FILTER (WHERE c."optedIn" AND c."notOnWhatsAppAt" IS NOT NULL)::int AS not_on_whatsapp,
           count(*)::int AS matched
    FROM "contacts" c WHERE ${audienceCondition(tenantId, audience, csv.e164)}`;
  // numbers in the file that are not contacts of the bakery have never opted in
  const unknownInFile = audience.kind === "csv" ? csv.e164.length - (row?.matched ?? 0) : 0;
  return {
    eligible: row?.eligible ?? 0,
    excludedOptedOut: (row?.opted_out ?? 0) + unknownInFile,
    excludedNotOnWhatsApp: row?.not_on_whatsapp ?? 0,
    excludedInvalid: csv.invalid,
  };
}
