import { describe, expect, it } from "vitest";
import { literalsOf } from "./i18n-literals";

describe("scripts/i18n-literals.ts", () => {
  it("finds JSX text, literal expressions and read attributes; skips symbols, the product's name and translated text", () => {
    const source = `
      export function A({ t }: { t: (k: string) => string }) {
        return (
          <div title="Open the number">
            Hello there
            {"Loading…"}
            <span>· — →</span>
            <b>{t("ok")}</b>
            <input placeholder={t("search")} aria-label="Search bakeries" className="px-3" />
            <span>Recado</span>
            <Card description="A key is shown once." tone="green" className="mt-1 px-2" href="/a b" />
          </div>
        );
      }`;
    expect(literalsOf("a.tsx", source).map((l) => [l.line, l.text])).toEqual([
      [4, "Open the number"],
      [5, "Hello there"],
      [6, "Loading…"],
      [9, "Search bakeries"],
      [11, "A key is shown once."],
    ]);
  });
});
