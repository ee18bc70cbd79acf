/**
 * The templates a bakery can send now, grouped by the name it sends them by, each with the languages it exists in
 * (approved) and which one is sent by default (src/lib/languages.ts: the bakery's language when the template has
 * it, else es, else en, else the first). The conversation and the broadcast form offer exactly these, so a
 * language is never offered or claimed that would not be used.
 */
import type { Db } from "@/server/db";
import { languageChoice } from "@/lib/languages";
import { templateBlanks, type TemplateBlank } from "@/lib/template-blanks";
import { listTenantTemplates } from "@/server/templates/templates";

export type SendableLanguage = { language: string; bodyText: string | null; parameterNames: string[]; blanks: TemplateBlank[] };
export type SendableTemplate = {
  name: string;
  category: string | null;
  languages: SendableLanguage[];
  defaultLanguage: string;
  /** the bakery's language is not among them: the default is another one, and the UI says so */
  differsFromBakery: boolean;
};

export async function sendableTemplates({ db, tenantId }: { db: Db; tenantId: string }) {
  const [settings, templates] = await Promise.all([
    db.whatsAppSettings.findUnique({ where: { tenantId }, select: { language: true } }),
    listTenantTemplates({ db, tenantId }),
  ]);
  const bakeryLanguage = settings?.language ?? "es";
  const byName = new Map<string, typeof templates>();
  for (const t of templates.filter((t) => t.status === "APPROVED")) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  const result: SendableTemplate[] = [];
  for (const [name, versions] of byName) {
    const choice = languageChoice(
      versions.map((v) => v.language),
      bakeryLanguage,
    );
    const languages = choice.offered.map((language) => {
      const v = versions.find((x) => x.language === language)!;
      return {
        language,
        bodyText: v.bodyText,
        parameterNames: v.parameterNames,
        blanks: templateBlanks({ name, bodyText: v.bodyText, parameterNames: v.parameterNames, parameterExamples: v.parameterExamples }),
      };
    });
    result.push({
      name,
      category: versions[0]?.category ?? null,
      languages,
      defaultLanguage: choice.chosen!,
      differsFromBakery: choice.differsFromBakery,
    });
  }
  return { bakeryLanguage, templates: result.sort((a, b) => a.name.localeCompare(b.name)) };
}
