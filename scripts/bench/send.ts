/**
 * `npm run bench:send`: sends BENCH_SENDS template messages through the real send service (sendMessage) to the
 * Meta simulator (its own process, throughput limit raised, pair-rate limit off, no webhooks) on real Postgres,
 * BENCH_CONCURRENCY at a time. Prints messages/s, p50/p99 per send and database round-trips per send (every
 * query Prisma sends, counted through its query event), for both ways of calling it: one call per message
 * (UI, REST: loads the sending number each time) and with a preloaded sending number (broadcasts).
 * First the floor: the same template sends to the simulator alone (plain fetch, no Recado code), measured in the
 * same run; each mode then prints its rate as a share of it ("… = 31% of the simulator alone"). On one machine
 * the simulator is the ceiling of this figure; CPU is shared by the simulator, Node and Postgres.
 * DATABASE_URL (a server URL) defaults to postgresql://postgres@127.0.0.1:5432/postgres; a database is created and dropped.
 */
import { spawn } from "node:child_process";
import { PrismaPg } from "@prisma/adapter-pg";
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
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }),
    log: [{ emit: "event", level: "query" }],
  });
  db.$on("query", () => {
    queries += 1;
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
  const floorRate = sends / ((performance.now() - floorStarted) / 1000);
  console.log(
    `bench:send simulator alone: ${sends} template sends, concurrency ${concurrency} → ${floorRate.toFixed(0)} messages/s, ${floorFailures} failed`,
  );

  for (const mode of ["per call (UI, REST)", "preloaded sending number (broadcasts)"] as const) {
    const offset = mode.startsWith("per") ? 0 : sends;
    const from = mode.startsWith("per") ? undefined : await loadSendingNumber({ db: appDb, tenantId: tenant.id });
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    queries = 0;
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
  }
  const stored = await db.message.count({ where: { wamid: { not: null } } });
  console.log(`bench:send: ${stored} messages stored with their wamid`);
  await db.$disconnect();
} finally {
  stopSim();
  await dropDatabase(server, dbName).catch(() => {});
}
