/**
 * Template parameters of a broadcast: each body placeholder is either the same text for everyone or a field of
 * the contact (their name, their phone). Rendered in SQL when recipients are recorded, in JS for the preview.
 */
import { Prisma } from "@/generated/prisma/client";
import { z } from "zod";
import { fillTemplateBody } from "@/lib/template-blanks";

export const parameterSourceSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("fixed"),
    value: z.string().trim().min(1, "expected the text for this parameter, e.g. 20% en pan de masa madre").max(1024),
  }),
  z.object({ kind: z.literal("field"), field: z.enum(["name", "phone"], "expected a contact field: name or phone") }),
]);
export type ParameterSource = z.infer<typeof parameterSourceSchema>;

/** A contact without a name gets this where their name goes, never an empty parameter (Meta refuses those). */
export const fallbackName = "cliente";

export function renderParameters(sources: ParameterSource[], contact: { name: string | null; phoneE164: string }): string[] {
  return sources.map((source) =>
    source.kind === "fixed" ? source.value : source.field === "name" ? contact.name?.trim() || fallbackName : contact.phoneE164,
  );
}

/** The same rendering as an SQL text[] over contacts aliased `c`. */
export function parametersSql(sources: ParameterSource[]): Prisma.Sql {
  if (sources.length === 0) return Prisma.sql`ARRAY[]::text[]`;
  const parts = sources.map((source) =>
    source.kind === "fixed"
      ? Prisma.sql`${source.value}::text`
      : source.field === "name"
        ? Prisma.sql`COALESCE(NULLIF(btrim(c."name"), ''), ${fallbackName})`
        : Prisma.sql`c."phoneE164"`,
  );
  return Prisma.sql`ARRAY[${Prisma.join(parts)}]::text[]`;
}

/** The template body with its placeholders filled in ({{1}} or {{name}}, in order of parameterNames). */
export function renderBody(bodyText: string | null, parameterNames: string[], values: string[]): string {
  return fillTemplateBody(bodyText, parameterNames, values);
}
