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
export const languageLabel = (code: string) => messageLanguages.find((l) => l.code === code)?.label ?? code;
