/**
 * `npm run bench:send`: sends BENCH_SENDS template messages through the real send service (sendMessage) to the
 * Meta simulator (its own process, throughput limit raised, pair-rate limit off, no webhooks) on real Postgres,
 * BENCH_CONCURRENCY at a time. Prints messages/s, p50/p99 per send and database round-trips per send (every
 * query the pg driver sends, BEGIN and COMMIT included, counted on its Client: Prisma's query log event would add
 * its own cost to every query, which production does not pay), for both ways of calling it: one call per message
 * (UI, REST: loads the sending number each time) and with a preloaded sending number (broadcasts).
 * First the floor: the same template sends to the simulator alone (plain fetch, no Recado code), measured in the
 * same run; each mode then prints its rate as a share of it ("… = 31% of the simulator alone"). On one machine
 * the simulator is the ceiling of this figure; CPU is shared by the simulator, Node and Postgres.
 * DATABASE_URL (a server URL) defaults to postgresql://postgres@127.0.0.1:5432/postgres; a database is created and dropped.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../src/generated/prisma/client";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { applyMigrations } from "../lib/migrate";
import { localEnv } from "../lib/dev-env";

const sends = Number(process.env.BENCH_SENDS ?? 5000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const simPort = Number(process.env.BENCH_SIM_PORT ?? 4499);
const poolMax = Number(process.env.BENCH_POOL_MAX ?? 20);
const simUrl = `http://127.0.0.1:${simPort}`;
const masterWabaId = "102290129340398";

const server = process.env.DATABASE_URL ?? defaultServerUrl;
const dbName = uniqueDatabaseName("recado_bench_send");
const databaseUrl = await createDatabase(server, dbName);
const sim = spawn("npx", ["tsx", "src/meta-simulator/main.ts"], {
  env: { ...process.env, SIM_PORT: String(simPort), SIM_WEBHOOK_URL: "http://127.0.0.1:9/unused" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
// npx → tsx → node: kill the whole process group, not only npx
const stopSim = () => {
  try {
    process.kill(-sim.pid!, "SIGTERM");
  } catch {}
};

// the local defaults (simulator credentials, inline jobs, demo rules), in production mode
Object.assign(process.env, localEnv({ port: 3000, simPort, databaseUrl, poolMax }), { NODE_ENV: "production" });

async function waitForSim() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${simUrl}/__sim/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the simulator did not start");
}

/** CPU time (user + system, ms) of the processes whose pid passes `keep`, read from /proc/<pid>/stat (Linux). */
const clockTicksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
function cpuMsOf(keep: (pid: number, pgid: number) => boolean): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15
      if (keep(pid, Number(fields[2]))) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / clockTicksPerMs;
}
/**
 * CPU-ms so far of this process, of the simulator (its process group) and of the Postgres backends connected to
 * this run's database (a backend opened meanwhile starts at 0, so after − before stays right).
 */
function cpuNow(backendPids: Set<number>) {
  const own = process.cpuUsage();
  return {
    app: (own.user + own.system) / 1000,
    sim: cpuMsOf((_, pgid) => pgid === sim.pid),
    db: cpuMsOf((pid) => backendPids.has(pid)),
  };
}
type CpuSample = ReturnType<typeof cpuNow>;
const cpuLine = (label: string, before: CpuSample, after: CpuSample, n: number, seconds: number) =>
  `bench:send ${label}: CPU-ms per send: app ${((after.app - before.app) / n).toFixed(3)}, Postgres ${((after.db - before.db) / n).toFixed(3)}, ` +
  `simulator ${((after.sim - before.sim) / n).toFixed(3)} (of ${(2000).toFixed(0)} CPU-ms per wall second on 2 cores: ` +
  `${((after.app - before.app + after.db - before.db + after.sim - before.sim) / seconds / 20).toFixed(0)}% used by these three)`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

try {
  await applyMigrations(databaseUrl, { log: () => {} });
  await waitForSim();
  // no throughput or pair-rate limit and no webhooks: the figure is ours, not the simulator's pacing
  await fetch(`${simUrl}/__sim/config`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      throughputMps: { STANDARD: 1_000_000, HIGH: 1_000_000 },
      pairRateLimit: { enabled: false },
      statusDelaysMs: { sent: null },
    }),
  });

  let queries = 0;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries += 1;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  // BENCH_NAMED_STATEMENTS=1: an experiment, not how src/server/db.ts connects: each SQL text becomes a named
  // prepared statement per connection (the adapter's statementNameGenerator), so Postgres parses it once
  const statementNames = new Map<string, string>();
  const statementNameGenerator = process.env.BENCH_NAMED_STATEMENTS
    ? (query: { sql: string }) => {
        let name = statementNames.get(query.sql);
        if (!name) statementNames.set(query.sql, (name = `bench_${statementNames.size}`));
        return name;
      }
    : undefined;
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }, { statementNameGenerator }),
  });
  const { sendMessage, loadSendingNumber } = await import("../../src/server/messaging/send");
  const { throughputLimits } = await import("../../src/server/throughput/pacing");
  // the simulator's limits are off, so Recado's pacing is lifted the same way (it still reserves a slot per send)
  Object.assign(throughputLimits, { STANDARD: 1_000_000, HIGH: 1_000_000 });
  const { syncTemplates } = await import("../../src/server/templates/templates");
  type Db = Parameters<typeof sendMessage>[0]["db"];
  const appDb = db as unknown as Db;

  const account = await db.businessAccount.create({ data: { wabaId: masterWabaId, name: "Bench", kind: "MASTER" } });
  const number = await db.phoneNumber.create({
    data: { metaPhoneNumberId: "106540352242922", businessAccountId: account.id, displayPhoneNumber: "+34 612 345 678" },
  });
  const tenant = await db.tenant.create({
    data: { name: "Bench bakery", slug: "bench", whatsappSettings: { create: { enabled: true, phoneNumberId: number.id } } },
  });
  await syncTemplates({ db: appDb, businessAccountId: account.id });
  await db.contact.createMany({
    data: Array.from({ length: sends * 2 }, (_, i) => ({
      tenantId: tenant.id,
      phoneE164: `+346${String(i).padStart(8, "0")}`,
      optedIn: true,
    })),
  });
  const contacts = await db.contact.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { phoneE164: "asc" } });

  // warm up connections and the Graph client's keep-alive sockets
  for (let i = 0; i < concurrency; i++) {
    await sendMessage({
      db: appDb,
      tenantId: tenant.id,
      contactId: contacts[contacts.length - 1 - i]!.id,
      content: { kind: "template", templateName: "po_notification", parameters: ["a", "b", "c"] },
      source: "test",
    });
  }

  // the Postgres backends of this run's pool, for their CPU time: open them all now (the warm-up used one or two)
  await Promise.all(Array.from({ length: poolMax }, () => db.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.05)`));
  const backendPids = new Set(
    (await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`).map((r) => r.pid),
  );

  // the floor: the same template sends to the simulator alone (plain fetch, no Recado code, same concurrency)
  const floorBody = (i: number) =>
    JSON.stringify({
      messaging_product: "whatsapp",
      to: `+347${String(i).padStart(8, "0")}`,
      type: "template",
      template: {
        name: "po_notification",
        language: { code: "es" },
        components: [{ type: "body", parameters: ["Harinas del Norte", `PO-${i}`, "245,80 €"].map((text) => ({ type: "text", text })) }],
      },
    });
  let floorNext = 0;
  let floorFailures = 0;
  const floorCpu = cpuNow(backendPids);
  const floorStarted = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (floorNext < sends) {
        const i = floorNext++;
        const response = await fetch(`${simUrl}/v25.0/106540352242922/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sim-master-token" },
          body: floorBody(i),
        });
        if (!response.ok) floorFailures += 1;
        await response.arrayBuffer();
      }
    }),
  );
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const floorRate = sends / floorSeconds;
  console.log(
    `bench:send simulator alone: ${sends} template sends, concurrency ${concurrency} → ${floorRate.toFixed(0)} messages/s, ${floorFailures} failed`,
  );
  console.log(cpuLine("simulator alone", floorCpu, cpuNow(backendPids), sends, floorSeconds));

  for (const mode of ["per call (UI, REST)", "preloaded sending number (broadcasts)"] as const) {
    const offset = mode.startsWith("per") ? 0 : sends;
    const from = mode.startsWith("per") ? undefined : await loadSendingNumber({ db: appDb, tenantId: tenant.id });
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    queries = 0;
    const cpuBefore = cpuNow(backendPids);
    // BENCH_MARKS=1: the mode's window on the monotonic clock (µs), to cut a CPU profile (node --cpu-prof) to it
    if (process.env.BENCH_MARKS) console.log(`bench:send mark ${mode} start ${process.hrtime.bigint() / 1000n}`);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < sends) {
          const i = next++;
          const t0 = performance.now();
          try {
            await sendMessage({
              db: appDb,
              tenantId: tenant.id,
              contactId: contacts[offset + i]!.id,
              content: { kind: "template", templateName: "po_notification", parameters: ["Harinas del Norte", `PO-${i}`, "245,80 €"] },
              source: "broadcast",
              idempotencyKey: from ? `bench:${i}` : undefined,
              from,
            });
          } catch (error) {
            failures += 1;
            if (failures < 3) console.error((error as Error).message);
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuNow(backendPids);
    if (process.env.BENCH_MARKS) console.log(`bench:send mark ${mode} end ${process.hrtime.bigint() / 1000n}`);
    latencies.sort((a, b) => a - b);
    console.log(
      `bench:send ${mode}: ${sends} sends, concurrency ${concurrency}, pool ${poolMax} → ${(sends / seconds).toFixed(0)} messages/s, ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms per send, ` +
        `${(queries / sends).toFixed(2)} DB round-trips per send, ${failures} failed`,
    );
    console.log(
      `bench:send ${mode}: ${(sends / seconds).toFixed(0)} msg/s = ${((100 * sends) / seconds / floorRate).toFixed(1)}% ` +
        `of the simulator alone (${floorRate.toFixed(0)} msg/s), ${(queries / sends).toFixed(2)} DB round-trips per send`,
    );
    console.log(cpuLine(mode, cpuBefore, cpuAfter, sends, seconds));
  }
  const stored = await db.message.count({ where: { wamid: { not: null } } });
  console.log(`bench:send: ${stored} messages stored with their wamid`);
  await db.$disconnect();
} finally {
  stopSim();
  await dropDatabase(server, dbName).catch(() => {});
}
