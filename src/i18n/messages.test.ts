import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locales, negotiateLocale, resolveLocale } from "@/i18n/locales";
import { readMessages } from "@/i18n/messages";

const root = join(process.cwd(), "messages");

/** Every leaf of a message tree as `path → text`. */
function leaves(tree: unknown, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof tree === "string") found.set(prefix, tree);
  else if (tree && typeof tree === "object") {
    for (const [key, value] of Object.entries(tree))
      for (const [path, text] of leaves(value, prefix ? `${prefix}.${key}` : key)) found.set(path, text);
  }
  return found;
}

/** The ICU arguments a message uses (`{count}`, `{count, plural, …}`, `<b>`), which every translation must keep. */
function argumentsOf(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) names.add(match[1]!);
  for (const match of text.matchAll(/<([A-Za-z][\w]*)>/g)) names.add(`<${match[1]}>`);
  return [...names].sort();
}

describe("translation files", () => {
  const english = readMessages("en", root);
  const englishLeaves = leaves(english);

  it("each language has the same namespace files", () => {
    const files = (locale: string) => readdirSync(join(root, locale)).sort();
    for (const locale of locales) expect(files(locale), locale).toEqual(files("en"));
  });

  for (const locale of locales.filter((l) => l !== "en")) {
    it(`${locale} has every key of en, no other, each with the same arguments and none empty`, () => {
      const translated = leaves(readMessages(locale, root));
      expect([...translated.keys()].sort()).toEqual([...englishLeaves.keys()].sort());
      for (const [path, text] of translated) {
        expect(text.trim(), `${locale}:${path}`).not.toBe("");
        expect(argumentsOf(text), `${locale}:${path}`).toEqual(argumentsOf(englishLeaves.get(path)!));
      }
    });
  }
});

describe("which language a request gets", () => {
  it("follows the browser's ranked languages", () => {
    expect(negotiateLocale("ca-ES,ca;q=0.9,es;q=0.8")).toBe("ca");
    expect(negotiateLocale("fr-FR,fr;q=0.9,en;q=0.5")).toBe("en");
    expect(negotiateLocale("en;q=0.4,es;q=0.8")).toBe("es");
    expect(negotiateLocale("fr,de")).toBeNull();
    expect(negotiateLocale("es;q=0")).toBeNull();
  });

  it("prefers the stored choice, then the cookie, then the browser; Spanish when nothing says", () => {
    expect(resolveLocale({ stored: "ca", cookie: "en", acceptLanguage: "es" })).toBe("ca");
    expect(resolveLocale({ stored: null, cookie: "en", acceptLanguage: "es" })).toBe("en");
    expect(resolveLocale({ stored: "xx", cookie: "zz", acceptLanguage: "ca" })).toBe("ca");
    expect(resolveLocale({ acceptLanguage: "fr-FR" })).toBe("es");
    expect(resolveLocale({})).toBe("es");
  });
});
