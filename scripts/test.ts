/**
 * `npm test`: the whole suite, in order, stopping at the first failing part.
 *   1. prisma generate (the client always matches schema.prisma)
 *   2. lint, format, import boundaries, translations: ESLint (`npm run lint`), Prettier (`npm run format:check`),
 *      the import-boundary check (`npm run lint:boundaries`) and `npm run i18n:literals -- --check`; all run, then the part fails if one did. It runs
 *      after prisma generate: the boundary check must resolve every import, the generated client's too
 *   3. unit and integration tests (Vitest) on real Postgres, in a database created and migrated for this run
 *   4. next build (production)
 *   5. end-to-end tests (Playwright, Chromium) against that build, on its own fresh database
 * Then prints how many tests each part ran.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function guardRails(): string {
  const title = "lint, format, import boundaries";
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const checks: [string, string[]][] = [
    ["eslint", ["eslint"]],
    ["prettier --check", ["prettier", "--check", "--log-level", "warn", "."]],
    ["import boundaries", ["depcruise", "src", "--config", ".dependency-cruiser.cjs"]],
    ["folder layers", ["depcruise", "src/server", "--config", ".dependency-cruiser.folders.cjs"]],
    // no UI text outside messages/<locale>/<namespace>.json (README "Languages")
    ["UI text in translation files", ["tsx", "scripts/i18n-literals.ts", "--check"]],
  ];
  const failed = checks.filter(([name, args]) => {
    console.log(`--- ${name}`);
    return spawnSync("npx", args, { stdio: "inherit", env }).status !== 0;
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (failed.length === 0) {
    console.log(`✓ ${title} (${seconds}s)`);
    return "clean";
  }
  const names = failed.map(([name]) => name).join(", ");
  console.error(`\n✗ ${title} failed after ${seconds}s: ${names}`);
  process.exit(1);
}

function run(title: string, command: string, args: string[]) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${title} (${seconds}s)`);
}

mkdirSync("test-results", { recursive: true });
run("prisma generate", "node", ["scripts/prisma-generate.mjs"]);
const guardRailsResult = guardRails();
run("unit and integration tests (Vitest, PostgreSQL)", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile.json=test-results/vitest.json",
]);
run("production build (next build)", "npx", ["next", "build"]);
run("end-to-end tests (Playwright, Chromium)", "npx", ["playwright", "test"]);

type VitestReport = { numTotalTests: number; numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
type PlaywrightReport = { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
const vitest = JSON.parse(readFileSync("test-results/vitest.json", "utf8")) as VitestReport;
const e2e = JSON.parse(readFileSync("test-results/e2e.json", "utf8")) as PlaywrightReport;
console.log("\n=== summary ===");
console.log(`lint, format, boundaries: ${guardRailsResult}`);
console.log(`unit + integration: ${vitest.numPassedTests}/${vitest.numTotalTests} passed`);
console.log(
  `end-to-end:         ${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed, ${e2e.stats.flaky} flaky, ${e2e.stats.skipped} skipped`,
);
