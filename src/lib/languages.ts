/** Languages a bakery can send its messages in (templates exist per language). Shared by server and UI. */
export const messageLanguages = [
  { code: "es", label: "Español" },
  { code: "en", label: "English" },
  { code: "ca", label: "Català" },
  { code: "eu", label: "Euskara" },
  { code: "gl", label: "Galego" },
] as const;

export type MessageLanguage = (typeof messageLanguages)[number]["code"];
export const messageLanguageCodes = messageLanguages.map((l) => l.code) as [MessageLanguage, ...MessageLanguage[]];

/** A language's own name; a regional code of Meta's (en_US, pt_BR) keeps its region: "English (US)". */
export const languageLabel = (code: string) => {
  const exact = messageLanguages.find((l) => l.code === code)?.label;
  if (exact) return exact;
  const [base, region] = code.split(/[_-]/);
  const label = messageLanguages.find((l) => l.code === base)?.label;
  return label && region ? `${label} (${region.toUpperCase()})` : code;
};

/**
 * Without an explicit language a send tries the bakery's language, then these (src/server/messaging/send.ts
 * uses the same order; a test checks the two agree).
 */
export const fallbackMessageLanguages = ["es", "en"] as const;

export type LanguageChoice = {
  /** the languages this template exists in (approved), the bakery's first, then es, en, then the rest */
  offered: string[];
  /** the one selected unless the owner picks another; null when the template exists in no language */
  chosen: string | null;
  /** true when the bakery's own language is not among them, so another one is sent (say which, plainly) */
  differsFromBakery: boolean;
};

/** Which languages to offer for a template and which one is sent by default: never one it does not exist in. */
export function languageChoice(available: string[], bakeryLanguage: string): LanguageChoice {
  const order = [bakeryLanguage, ...fallbackMessageLanguages];
  const rank = (code: string) => {
    const i = order.indexOf(code);
    return i >= 0 ? i : order.length;
  };
  const offered = [...new Set(available)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const chosen = offered[0] ?? null;
  return { offered, chosen, differsFromBakery: chosen !== null && chosen !== bakeryLanguage };
}
