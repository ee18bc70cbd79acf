/**
 * `npm test`: the whole suite, in order, stopping at the first failing part.
 *   1. prisma generate (the client always matches schema.prisma)
 *   2. unit and integration tests (Vitest) on real Postgres, in a database created and migrated for this run
 *   3. next build (production)
 *   4. end-to-end tests (Playwright, Chromium) against that build, on its own fresh database
 * Then prints how many tests each part ran.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

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
run("unit and integration tests (Vitest, PostgreSQL)", "npx", [
  "vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json",
]);
run("production build (next build)", "npx", ["next", "build"]);
run("end-to-end tests (Playwright, Chromium)", "npx", ["playwright", "test"]);

type VitestReport = { numTotalTests: number; numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
type PlaywrightReport = { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
const vitest = JSON.parse(readFileSync("test-results/vitest.json", "utf8")) as VitestReport;
const e2e = JSON.parse(readFileSync("test-results/e2e.json", "utf8")) as PlaywrightReport;
console.log("\n=== summary ===");
console.log(`unit + integration: ${vitest.numPassedTests}/${vitest.numTotalTests} passed`);
console.log(`end-to-end:         ${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed, ${e2e.stats.flaky} flaky, ${e2e.stats.skipped} skipped`);
