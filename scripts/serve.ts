/**
 * `npm run serve`: the production server. Runs the `next build` output with the environment exactly as given
 * (nothing filled in, no embedded database, no simulator). Before anything starts, the configuration is checked
 * with the production rules (src/server/env-production.ts): one line per variable that is missing, weak or a
 * development default, never its value, and exit status 2.
 * Flags: --port N (PORT or 3000), --hostname H (HOSTNAME or 0.0.0.0), --check (validate and exit).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EnvError, parseEnv } from "../src/server/env";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", default: process.env.HOSTNAME ?? "0.0.0.0" },
    check: { type: "boolean", default: false },
  },
});

const env = { ...process.env, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" };

try {
  parseEnv(env, { production: true });
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error("[recado] refusing to start in production:");
  for (const { name, problem } of error.problems) console.error(`[recado]   ${name}: ${problem}`);
  console.error("[recado] see README.md, \"Deploying Recado\".");
  process.exit(2);
}
console.log("[recado] production configuration accepted");
if (args.check) process.exit(0);

if (!existsSync(join(".next", "BUILD_ID"))) {
  console.error("[recado] no production build: run `npm run build` first");
  process.exit(1);
}

const next = spawn(join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", args.port, "-H", args.hostname], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
