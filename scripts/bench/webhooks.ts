/**
 * `npm run bench:webhooks`: load on the real webhook route of a production build on real Postgres.
 * Builds signed status batches (BENCH_STATUSES_PER_BATCH statuses each, distinct wamids), POSTs them with
 * autocannon over BENCH_CONNECTIONS connections, then counts what was stored. Prints accepted status
 * updates per second, p50 / p99 latency, and stored versus sent (must be equal: no loss, no duplicates).
 * Needs `next build` first (npm test does it; or run `npx next build`).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { simulatorDefaults } from "../lib/dev-env";
import { signWebhookBody } from "../../src/server/whatsapp/webhook-signature";

const batches = Number(process.env.BENCH_BATCHES ?? 2000);
const perBatch = Number(process.env.BENCH_STATUSES_PER_BATCH ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const port = Number(process.env.BENCH_PORT ?? 3300);
const appSecret = process.env.META_APP_SECRET ?? simulatorDefaults.appSecret;

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
  env: { ...process.env, DATABASE_URL: databaseUrl, META_APP_SECRET: appSecret, DATABASE_POOL_MAX: "20" },
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

function batchBody(n: number) {
  const statuses = Array.from({ length: perBatch }, (_, i) => ({
    id: `wamid.BENCH${n.toString(36)}x${i}`,
    status: (["sent", "delivered", "read"] as const)[(n + i) % 3],
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

  // give after() processing a moment, then count
  await new Promise((r) => setTimeout(r, 3000));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const stored = await client.query<{ items: string; events: string; processed: string }>(
    `SELECT count(*) AS items, count(DISTINCT "eventId") AS events, count(*) FILTER (WHERE status = 'PROCESSED') AS processed
     FROM webhook_items WHERE key LIKE 'status:wamid.BENCH%'`,
  );
  await client.end();
  const sent = batches * perBatch + 20 * perBatch;
  const row = stored.rows[0]!;
  const seconds = result.duration;
  console.log(
    `\nwebhook ingestion — ${batches} signed batches × ${perBatch} statuses, ${connections} connections, production build, PostgreSQL`,
  );
  console.log(
    `  requests: ${result.requests.total} (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts) in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `  accepted status updates/s: ${(((result.requests.total - result.non2xx) * perBatch) / seconds).toFixed(0)}   (batches/s: ${result.requests.average.toFixed(0)})`,
  );
  console.log(`  latency per batch: p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   max ${result.latency.max} ms`);
  console.log(`  stored status items: ${row.items} of ${sent} sent (incl. warm-up) in ${row.events} batches; processed: ${row.processed}`);
  console.log(`  ${Number(row.items) === sent ? "OK: every status stored exactly once" : "MISMATCH between sent and stored"}`);
} finally {
  const exited = new Promise((r) => app.once("exit", r));
  try {
    process.kill(-app.pid!, "SIGTERM");
  } catch {}
  await exited;
  await dropDatabase(server, dbName).catch(() => {});
}
