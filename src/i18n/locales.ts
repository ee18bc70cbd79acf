/**
 * The interface languages. Safe for the browser: no server code here.
 * Spanish is the default: Recado's bakeries are Spanish; Catalan for the bakeries of Catalonia; English for admins.
 */
export const locales = ["es", "ca", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "es";

/** Set when someone picks a language before signing in (and mirrored when a signed-in user picks one). */
export const localeCookie = "recado_locale";

/** Each language named in itself, as a language menu shows it. */
export const localeNames: Record<Locale, string> = { es: "Español", ca: "Català", en: "English" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * The first supported language of an Accept-Language header, by its q-values (`ca-ES,ca;q=0.9,es;q=0.8` → ca);
 * null when it names none of ours.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? null;
}

/**
 * Which language a request is served in: the user's stored choice, else the choice made before signing in
 * (cookie), else the browser's languages; a bakery owner whose browser names none of ours gets Spanish, as does
 * anyone else.
 */
export function resolveLocale({
  stored,
  cookie,
  acceptLanguage,
}: {
  stored?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(stored)) return stored;
  if (isLocale(cookie)) return cookie;
  return negotiateLocale(acceptLanguage) ?? defaultLocale;
}
