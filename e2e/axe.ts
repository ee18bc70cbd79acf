import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/** A violation known to be there, in a file another part of the work owns: its rule and why it is still there. */
export type KnownViolation = { rule: string; why: string };

/**
 * Runs axe-core on the page as it is now (every rule axe runs by default: WCAG 2.0/2.1/2.2 A and AA and best
 * practices) and fails the test on any violation (softly: the test goes on to the next page, so one run lists them all), listing each with its rule, help text and the elements. `known` names
 * violations of this one page that are tracked elsewhere: they are reported as annotations, not failures, and
 * one that no longer occurs is reported too, so the entry can be removed.
 */
export async function expectNoAxeViolations(page: Page, name: string, known: KnownViolation[] = []) {
  const results = await new AxeBuilder({ page }).analyze();
  const knownRules = new Set(known.map((k) => k.rule));
  const found = results.violations.filter((v) => !knownRules.has(v.id));
  for (const entry of known) {
    const still = results.violations.find((v) => v.id === entry.rule);
    test.info().annotations.push({
      type: still ? "known accessibility violation" : "known violation no longer found (remove it from the list)",
      description: `${name}: ${entry.rule} — ${entry.why}${still ? ` (${still.nodes.map((n) => n.target.join(" ")).join(", ")})` : ""}`,
    });
  }
  const report = found.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.split("\n").join(" ")}`)
        .join("\n"),
  );
  expect.soft(report, `accessibility violations on ${name}`).toEqual([]);
}

/** The page is no wider than its viewport (nothing pans sideways on a phone). */
export async function pageWidth(page: Page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
}
