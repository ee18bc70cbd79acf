/**
 * Every alert the server raises is worded in every language: each raiseAlert(...) call site in src/server names a
 * kind of `alertKinds`, each kind has `kind.<kind>.title` and `.message` in messages/{es,ca,en}/alerts.json, and
 * each message uses only the params its call sites store (so the UI never shows a placeholder or a key).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { locales } from "@/i18n/locales";
import { alertKinds, alertMetricNames, raiseAlert } from "@/server/alerts/alerts";
import { metricNames } from "@/server/monitoring/thresholds";
import { testDb } from "@/test/db";

const serverRoot = join(process.cwd(), "src", "server");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The text of the `{ ... }` that opens at `start` (a `{`), braces balanced. */
function block(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced braces at ${start}`);
}

/** The keys of an object literal's own level (`{ a: 1, b: { c: 2 }, d }` → a, b, d). */
function topLevelKeys(objectText: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of objectText.slice(1, -1)) {
    if ("{[(".includes(char)) depth++;
    else if ("}])".includes(char)) depth--;
    if (depth === 0 && char === ",") {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return segments.map((segment) => segment.match(/^\s*(\w+)\s*(?::|$)/)?.[1]).filter((key): key is string => Boolean(key));
}

type CallSite = { where: string; kinds: string[]; params: string[] | null };

function callSites(): CallSite[] {
  const sites: CallSite[] = [];
  for (const file of sourceFiles(serverRoot)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/raiseAlert\(\{/g)) {
      const args = block(text, match.index + "raiseAlert(".length);
      if (args.startsWith("{ db, ...alert }")) continue; // the definition
      const where = `${relative(process.cwd(), file)}:${text.slice(0, match.index).split("\n").length}`;
      const kindValue = args.match(/\bkind(?:\s*:\s*([^,\n]+))?\s*,/)?.[1]?.trim() ?? "kind";
      let kinds: string[];
      if (/^["']/.test(kindValue)) kinds = [kindValue.slice(1, -1)];
      else if (kindValue.startsWith("`metric_${")) kinds = alertMetricNames.map((m) => `metric_${m}`);
      else {
        const constant = text.match(new RegExp(`const ${kindValue} = "([^"]+)"`))?.[1];
        kinds = constant ? [constant] : [`<unresolved ${kindValue}>`];
      }
      const paramsAt = args.search(/\bparams\s*:\s*\{/);
      sites.push({ where, kinds, params: paramsAt < 0 ? null : topLevelKeys(block(args, args.indexOf("{", paramsAt))) });
    }
  }
  return sites;
}

const alertMessages = Object.fromEntries(
  locales.map((locale) => [
    locale,
    JSON.parse(readFileSync(join(process.cwd(), "messages", locale, "alerts.json"), "utf8")).kind as Record<
      string,
      { label?: string; title?: string; message?: string }
    >,
  ]),
);

type AstElement = { type: number; value?: unknown; options?: Record<string, { value: AstElement[] }>; children?: AstElement[] };

/** The arguments an ICU message uses, nested ones included (from its parsed form: 1–6 are argument elements). */
function argumentsOf(text: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: AstElement[]) => {
    for (const element of elements) {
      if (element.type >= 1 && element.type <= 6 && typeof element.value === "string") names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst() as AstElement[]);
  return [...names].sort();
}

describe("alert wording", () => {
  const sites = callSites();

  it("finds the server's raiseAlert call sites, each with a known kind and its params", () => {
    expect(sites.length).toBeGreaterThanOrEqual(15);
    for (const site of sites) {
      for (const kind of site.kinds) expect(alertKinds as readonly string[], site.where).toContain(kind);
      expect(site.params, `${site.where} stores no params`).not.toBeNull();
    }
    // every listed kind is raised somewhere, and the metric kinds follow the thresholds' metrics
    expect([...new Set(sites.flatMap((s) => s.kinds))].sort()).toEqual([...alertKinds].sort());
    expect([...alertMetricNames]).toEqual([...metricNames]);
  });

  for (const locale of locales) {
    it(`${locale}: every kind has a title and a message using only the params its call sites store`, () => {
      for (const kind of alertKinds) {
        const wording = alertMessages[locale]![kind];
        expect(wording?.label, `${locale}: kind.${kind}.label`).toBeTruthy();
        expect(wording?.title, `${locale}: kind.${kind}.title`).toBeTruthy();
        expect(wording?.message, `${locale}: kind.${kind}.message`).toBeTruthy();
        for (const site of sites.filter((s) => s.kinds.includes(kind))) {
          const stored = [...(site.params ?? []), ...(kind === "broadcast_stopped" ? ["reason"] : [])];
          for (const text of [wording!.title!, wording!.message!]) {
            for (const name of argumentsOf(text, locale))
              expect(stored, `${locale}: kind.${kind} uses {${name}}, ${site.where}`).toContain(name);
            // and it is a valid ICU message that formats with those params
            const values = Object.fromEntries(stored.map((key) => [key, key.endsWith("At") ? new Date(0) : 1]));
            expect(() => new IntlMessageFormat(text, locale).format(values), `${locale}: kind.${kind}`).not.toThrow();
          }
        }
      }
    });
  }

  it("stores the params with the alert and refreshes them when the alert repeats", async () => {
    const db = testDb();
    const dedupeKey = `registration_limit:probe-${Date.now()}-${Math.random()}`;
    const base = { db, kind: "registration_limit" as const, severity: "CRITICAL" as const, title: "t", message: "m", dedupeKey };
    const first = await raiseAlert({ ...base, params: { number: "+34 600 000 001" } });
    expect(first.params).toEqual({ number: "+34 600 000 001" });
    const again = await raiseAlert({ ...base, params: { number: "+34 600 000 002" } });
    expect(again.id).toBe(first.id);
    expect(again.params).toEqual({ number: "+34 600 000 002" });
  });
});
