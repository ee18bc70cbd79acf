/**
 * Lists UI text written in components instead of messages/<locale>/<namespace>.json: JSX text, string literals
 * in JSX expressions ({"…"}, {`…`}), in the attributes people read (placeholder, title, alt, aria-label,
 * label) and in any other prop whose string is prose (a component's description="…"), file by file with line numbers. Text without a letter (·, —, →, ✓) and the product's name are left out.
 *
 *   npx tsx scripts/i18n-literals.ts [folders…]      default: src/app src/components; prints, exits 0
 *   npx tsx scripts/i18n-literals.ts --check         exits 1 when anything is found (for CI once all is translated)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const readAttributes = new Set(["placeholder", "title", "alt", "aria-label", "aria-description", "label"]);
/** Attributes that never hold text people read (other props count when their string has a space: prose). */
const codeAttributes =
  /^(className|href|id|type|name|role|key|method|action|target|rel|src|lang|htmlFor|autoComplete|inputMode|pattern|accept|data-.*|aria-(controls|labelledby|describedby|current|live))$/;
// the product names, and the prefix every API key starts with (shown as code)
const allowed = new Set(["Recado", "WhatsApp", "rk_"]);

export type Literal = { line: number; text: string };

const hasWords = (text: string) => /\p{L}{2,}/u.test(text) && !allowed.has(text.trim());

/** The literals of one .tsx source. */
export function literalsOf(fileName: string, source: string): Literal[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Literal[] = [];
  const add = (node: ts.Node, raw: string) => {
    const text = raw.replace(/\s+/g, " ").trim();
    if (text && hasWords(text)) found.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) add(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)) {
      const e = node.expression;
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) add(e, e.text);
      else if (ts.isTemplateExpression(e)) add(e, [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(" … "));
    } else if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(file);
      const init = node.initializer;
      const text = ts.isStringLiteral(init)
        ? init.text
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)
          ? init.expression.text
          : null;
      if (text !== null && (readAttributes.has(name) || (!codeAttributes.test(name) && /\p{L}\s+\p{L}/u.test(text)))) add(init, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsxFiles(path);
    return path.endsWith(".tsx") && !path.endsWith(".test.tsx") ? [path] : [];
  });
}

function main(args: string[]) {
  const check = args.includes("--check");
  const folders = args.filter((a) => !a.startsWith("--"));
  const files = (folders.length ? folders : ["src/app", "src/components"]).flatMap((f) => tsxFiles(f)).sort();
  let total = 0;
  let withText = 0;
  for (const path of files) {
    const literals = literalsOf(path, readFileSync(path, "utf8"));
    if (!literals.length) continue;
    withText += 1;
    total += literals.length;
    console.log(`${relative(process.cwd(), path)} (${literals.length})`);
    for (const l of literals) console.log(`  ${l.line}: ${l.text.length > 100 ? `${l.text.slice(0, 97)}…` : l.text}`);
  }
  console.log(`\n${total} literal${total === 1 ? "" : "s"} in ${withText} of ${files.length} files`);
  if (check && total > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url.endsWith(relative(process.cwd(), process.argv[1]).replaceAll("\\", "/")))
  main(process.argv.slice(2));
