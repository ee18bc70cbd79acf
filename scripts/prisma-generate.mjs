// Runs `prisma generate` after install (npm 11 does not run dependencies' install scripts unless approved).
// Generation does not use the schema engine, but the CLI wants to find one: where none was downloaded
// (offline machines) point PRISMA_SCHEMA_ENGINE_BINARY at any executable so generation can proceed.
// On a normal machine the real engine is present and used.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const enginesDir = join(process.cwd(), "node_modules", "@prisma", "engines");
const hasEngine = existsSync(enginesDir) && readdirSync(enginesDir).some((name) => name.startsWith("schema-engine"));
const env = { ...process.env };
if (!hasEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;

const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
