/**
 * `npm run bench:webhooks`: load on the real webhook route of a production build on real Postgres.
 * First the floor: the same route's handshake GET (no database), with autocannon over the same connections.
 * Then signed POSTs of BENCH_STATUSES_PER_BATCH statuses each (1 by default, Meta's usual shape) for messages
 * that exist, so processing does real work. Prints stored statuses per second beside the floor and the ratio,
 * p50 / p99 latency, the backlog (stored, not yet processed) when the load ends and how long it takes to drain,
 * and whether every status was applied exactly once (one history row each, each message at its status).
 * It also prints the CPU time each request costs the app process (next-server) and the Postgres backends of the
 * bench database, read from /proc before and after each phase: on a shared machine req/s move with the load of
 * others, CPU-ms per request much less. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of next-server there
 * (scripts/bench/cpu-profile.cjs).
 * Needs `next build` first (npm test does it; or run `npx next build`).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { simulatorDefaults } from "../lib/dev-env";
import { signWebhookBody } from "../../src/server/whatsapp/webhook-signature";

const batches = Number(process.env.BENCH_BATCHES ?? 5000);
const perBatch = Number(process.env.BENCH_STATUSES_PER_BATCH ?? 1);
const verifyToken = "bench-verify-token";
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const port = Number(process.env.BENCH_PORT ?? 3300);
const appSecret = process.env.META_APP_SECRET ?? simulatorDefaults.appSecret;
const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build: run `npx next build` first.");
  process.exit(1);
}

// a server left on this port (an earlier run) would answer instead of ours
if (
  await fetch(`http://localhost:${port}/`).then(
    () => true,
    () => false,
  )
) {
  console.error(`Port ${port} is already in use: stop what runs there or set BENCH_PORT.`);
  process.exit(1);
}

const server = process.env.DATABASE_URL ?? defaultServerUrl;
const dbName = uniqueDatabaseName("recado_bench_webhooks");
const databaseUrl = await createDatabase(server, dbName);
const app = spawn("npx", ["tsx", "scripts/dev.ts", "--production", "--port", String(port), "--sim-port", String(port + 1000)], {
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    META_APP_SECRET: appSecret,
    META_WEBHOOK_VERIFY_TOKEN: verifyToken,
    DATABASE_POOL_MAX: "20",
    ...(profileDir
      ? {
          BENCH_CPU_PROF: profileDir,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${resolve("scripts/bench/cpu-profile.cjs")}`.trim(),
        }
      : {}),
  },
  stdio: ["ignore", "pipe", "inherit"],
  // its own process group, so the whole chain (npx → tsx → next-server) is stopped at the end
  detached: true,
});

async function waitForApp() {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`http://localhost:${port}/api/webhooks/whatsapp?hub.mode=subscribe`);
      if (res.status === 400) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the app did not start");
}

let lastNextServerPid: number | null = null;

/** utime + stime of a process in ms (Linux /proc; clock ticks of 10 ms), 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The next-server process among the app's process group (npx → tsx → next). */
function nextServerPid(): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(stat[2]) !== app.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith("next-server")) return Number(entry);
    } catch {}
  }
  return null;
}

/** CPU ms so far of next-server and of the Postgres backends serving the bench database (per backend pid). */
async function cpuSnapshot(client: pg.Client, appPid: number | null) {
  const backends = (
    await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
  ).rows.map((row) => row.pid);
  return { app: appPid ? cpuMsOf(appPid) : 0, db: new Map(backends.map((pid) => [pid, cpuMsOf(pid)])) };
}

/** CPU ms spent between two snapshots; backends that appeared in between count from zero. */
async function cpuSince(client: pg.Client, appPid: number | null, before: Awaited<ReturnType<typeof cpuSnapshot>>) {
  const after = await cpuSnapshot(client, appPid);
  let db = 0;
  for (const [pid, ms] of after.db) db += ms - (before.db.get(pid) ?? 0);
  return { app: after.app - before.app, db };
}

const statusOf = (n: number, i: number) => (["sent", "delivered", "read"] as const)[(n + i) % 3]!;

function batchBody(n: number) {
  const statuses = Array.from({ length: perBatch }, (_, i) => ({
    id: `wamid.BENCH${n}x${i}`,
    status: statusOf(n, i),
    timestamp: String(1763850000 + n),
    recipient_id: `3460${String(n * perBatch + i).padStart(7, "0")}`,
  }));
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: simulatorDefaults.masterWabaId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "34612345678", phone_number_id: "106540352242922" },
              statuses,
            },
          },
        ],
      },
    ],
  });
}

try {
  await waitForApp();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // the messages the statuses are for (one per status, warm-up included), ACCEPTED as after a send
  const total = (batches + 20) * perBatch;
  await client.query(`
    WITH account AS (SELECT "id" FROM "business_accounts" WHERE "wabaId" = '${simulatorDefaults.masterWabaId}'),
    tenant AS (INSERT INTO "tenants" ("id", "name", "slug", "updatedAt") VALUES ('bench-t', 'Bench', 'bench-webhooks', now()) RETURNING "id"),
    number AS (
      INSERT INTO "phone_numbers" ("id", "metaPhoneNumberId", "businessAccountId", "displayPhoneNumber", "updatedAt")
      SELECT 'bench-n', '199999999999999', account."id", '+34 600 000 000', now() FROM account RETURNING "id"),
    contact AS (
      INSERT INTO "contacts" ("id", "tenantId", "phoneE164", "optedIn", "updatedAt")
      SELECT 'bench-c', tenant."id", '+34600000000', true, now() FROM tenant RETURNING "id", "tenantId")
    INSERT INTO "messages" ("id", "tenantId", "phoneNumberId", "contactId", "direction", "type", "source", "status", "statusRank", "wamid")
    SELECT 'bench-m-' || n || 'x' || i, contact."tenantId", number."id", contact."id", 'OUTBOUND', 'template', 'broadcast', 'ACCEPTED', 1,
           'wamid.BENCH' || n || 'x' || i
      FROM contact, number, generate_series(0, ${batches + 20 - 1}) AS n, generate_series(0, ${perBatch - 1}) AS i`);
  const appPid = nextServerPid();
  lastNextServerPid = appPid;
  // the floor: the same route's handshake GET (verify token checked, no database)
  const floorCpuBefore = await cpuSnapshot(client, appPid);
  const floor = await autocannon({
    url: `http://localhost:${port}/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=42`,
    connections,
    amount: batches,
  });
  const floorRate = (floor.requests.total - floor.non2xx) / floor.duration;
  const floorCpu = await cpuSince(client, appPid, floorCpuBefore);

  // warm-up: compile paths and fill the pool (not counted)
  for (let i = 0; i < 20; i++) {
    const body = batchBody(batches + i);
    await fetch(`http://localhost:${port}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(body, appSecret) },
      body,
    });
  }

  const bodies = Array.from({ length: batches }, (_, n) => batchBody(n));
  const signatures = bodies.map((body) => signWebhookBody(body, appSecret));
  let next = 0;
  const postCpuBefore = await cpuSnapshot(client, appPid);
  const result = await autocannon({
    url: `http://localhost:${port}/api/webhooks/whatsapp`,
    connections,
    amount: batches,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const n = next++ % batches;
          return { ...request, body: bodies[n], headers: { "content-type": "application/json", "x-hub-signature-256": signatures[n]! } };
        },
      },
    ],
  });
  const loadEnded = performance.now();
  const postCpuAtEnd = await cpuSince(client, appPid, postCpuBefore);

  const counts = async () =>
    (
      await client.query<{ items: string; events: string; processed: string }>(
        `SELECT count(*) AS items, count(DISTINCT "eventId") AS events, count(*) FILTER (WHERE status = 'PROCESSED') AS processed
           FROM webhook_items WHERE key LIKE 'status:wamid.BENCH%'`,
      )
    ).rows[0]!;
  const atEnd = await counts();
  const backlogAtEnd = Number(atEnd.items) - Number(atEnd.processed);
  let drainedInMs: number | null = backlogAtEnd === 0 ? 0 : null;
  while (drainedInMs === null && performance.now() - loadEnded < 30_000) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await counts();
    if (Number(now.items) === Number(now.processed)) drainedInMs = performance.now() - loadEnded;
  }
  const row = await counts();
  // after the drain: the processing of every stored status counted too
  const postCpu = await cpuSince(client, appPid, postCpuBefore);
  const applied = (
    await client.query<{ events: string; at_status: string }>(
      `SELECT (SELECT count(*) FROM message_status_events e JOIN messages m ON m.id = e."messageId" WHERE m.id LIKE 'bench-m-%') AS events,
              (SELECT count(*) FROM messages WHERE id LIKE 'bench-m-%' AND "statusRank" > 1) AS at_status`,
    )
  ).rows[0]!;
  await client.end();
  const sent = total;
  const seconds = result.duration;
  const storedRate = ((result.requests.total - result.non2xx) * perBatch) / seconds;
  const postRate = (result.requests.total - result.non2xx) / seconds;
  console.log(
    `\nwebhook ingestion — ${batches} signed POSTs × ${perBatch} statuses, ${connections} connections, production build, PostgreSQL`,
  );
  console.log(
    `  floor (handshake GET, same route): ${floorRate.toFixed(0)} requests/s, p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms`,
  );
  console.log(
    `  requests: ${result.requests.total} (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts) in ${seconds.toFixed(1)} s`,
  );
  console.log(`  latency per POST: p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   max ${result.latency.max} ms`);
  console.log(`  stored status items: ${row.items} of ${sent} sent (incl. warm-up) in ${row.events} batches; processed: ${row.processed}`);
  console.log(
    `  backlog when the load ended: ${backlogAtEnd}; drained ${drainedInMs === null ? "NOT within 30 s" : `in ${(drainedInMs / 1000).toFixed(2)} s`}`,
  );
  const perRequest = (ms: number, n: number) => (n ? (ms / n).toFixed(3) : "?");
  console.log(
    `  CPU per handshake GET: app ${perRequest(floorCpu.app, floor.requests.total)} ms, Postgres ${perRequest(floorCpu.db, floor.requests.total)} ms` +
      (appPid ? "" : " (next-server not found: app CPU not measured)"),
  );
  console.log(
    `  CPU per POST: app ${perRequest(postCpu.app, result.requests.total)} ms, Postgres ${perRequest(postCpu.db, result.requests.total)} ms ` +
      `(load and drain; during the load alone: app ${perRequest(postCpuAtEnd.app, result.requests.total)} ms, Postgres ${perRequest(postCpuAtEnd.db, result.requests.total)} ms)`,
  );
  console.log(`  applied: ${applied.events} history rows, ${applied.at_status} messages moved, for ${sent} statuses`);
  const exact = Number(row.items) === sent && Number(applied.events) === sent && Number(applied.at_status) === sent;
  console.log(`  ${exact ? "OK: every status stored and applied exactly once" : "MISMATCH between sent, stored and applied"}`);
  console.log(
    `bench:webhooks ${perBatch} status(es) per POST: ${postRate.toFixed(0)} POSTs/s (${storedRate.toFixed(0)} statuses/s) = ` +
      `${((100 * postRate) / floorRate).toFixed(1)}% of the route floor (${floorRate.toFixed(0)} requests/s), ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, backlog ${backlogAtEnd} drained in ` +
      `${drainedInMs === null ? "> 30" : (drainedInMs / 1000).toFixed(2)} s`,
  );
} finally {
  const exited = new Promise((r) => app.once("exit", r));
  try {
    process.kill(-app.pid!, "SIGTERM");
  } catch {}
  await exited;
  // next-server writes its profile as it exits, which may be after npx has
  for (let i = 0; i < 100 && lastNextServerPid !== null && existsSync(`/proc/${lastNextServerPid}`); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (profileDir) keepNextServerProfile(profileDir);
  await dropDatabase(server, dbName).catch(() => {});
}

function keepNextServerProfile(dir: string) {
  const file = join(dir, "next-server.cpuprofile");
  console.log(existsSync(file) ? `  CPU profile of next-server: ${file}` : "  no next-server profile was written");
}
