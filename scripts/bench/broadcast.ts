/**
 * `npm run bench:broadcast`: broadcasts on a throw-away database (Postgres of DATABASE_URL, default local) and
 * the bundled Meta simulator (a process of its own, as Meta would be), sent by app instances that are processes
 * of their own (scripts/bench/broadcast-worker.ts: the broadcast jobs inline on the outbox, as `npm start` runs them).
 *   1. planning (BENCH_PLAN_RECIPIENTS, default 100,000; 0 skips it): every recipient recorded, the fan-out built;
 *      time and peak memory.
 *   2. sending, one scenario per run, chosen by:
 *      BENCH_NUMBERS (default 1)    numbers broadcasting at once, each its own bakery (STANDARD when more than one)
 *      BENCH_INSTANCES (default 1)  app processes relaying the same outbox (each takes one chunk at a time)
 *      BENCH_KILL=1                 one instance is killed with SIGKILL when a third is accepted and a new one
 *                                   started: prints how long until sending resumed and whether every recipient was
 *                                   accepted exactly once (counted in the simulator). Status webhooks go to a
 *                                   receiver in this process that applies them with the app's statement.
 *      BENCH_LEVEL, BENCH_LIMIT     the numbers' level and its limit (the simulator's and Recado's pacing alike)
 *      BENCH_SEND_RECIPIENTS        per number; default twelve seconds of the limit (more with several instances)
 *      BENCH_CPU_PROF=1             the instances write CPU profiles (node --cpu-prof) into <tmp>/recado-bench-profiles/
 *   Prints per number the rate the simulator saw (first to last acceptance) against the limit, the 130429 answers,
 *   whether each recipient was accepted once, and the database transactions per message; then one summary line
 *   per scenario: "bench:broadcast <scenario>: … = 96.1% of the limit".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { simulatorControl } from "../../src/meta-simulator/control-client";
import { createDb, type Db } from "../../src/server/db";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { applyMigrations } from "../lib/migrate";
import { localEnv, simulatorDefaults } from "../lib/dev-env";

const numbers = Number(process.env.BENCH_NUMBERS ?? 1);
const instances = Number(process.env.BENCH_INSTANCES ?? 1);
const kill = process.env.BENCH_KILL === "1";
const level = (process.env.BENCH_LEVEL ?? (numbers > 1 ? "STANDARD" : "HIGH")) as "HIGH" | "STANDARD";
const limit = Number(process.env.BENCH_LIMIT ?? (kill || instances > 1 ? 200 : level === "HIGH" ? 1000 : 80));
const chunkSize = limit * 20; // src/server/broadcasts/sending.ts: twenty seconds of the number's throughput
const perNumber = Number(process.env.BENCH_SEND_RECIPIENTS ?? (instances > 1 ? chunkSize * instances : kill ? limit * 15 : limit * 12));
const planCount = Number(process.env.BENCH_PLAN_RECIPIENTS ?? 100_000);
const cpuProf = process.env.BENCH_CPU_PROF === "1";
const profileDir = join(tmpdir(), "recado-bench-profiles");
const server = process.env.DATABASE_URL ?? defaultServerUrl;
const name = uniqueDatabaseName("recado_bench_broadcast");
const url = await createDatabase(server, name);
const scenario = kill
  ? `SIGKILL and restart, ${perNumber} recipients at ${limit} msg/s`
  : `${numbers} ${level} number(s) at ${limit} msg/s, ${instances} instance(s)`;

const simPort = Number(process.env.BENCH_SIM_PORT ?? 4399);
const receiverPort = simPort + 1;
const simUrl = `http://127.0.0.1:${simPort}`;
const sim = spawn("npx", ["tsx", "src/meta-simulator/main.ts"], {
  env: { ...process.env, SIM_PORT: String(simPort), SIM_WEBHOOK_URL: "http://127.0.0.1:9/none" },
  stdio: "ignore",
  detached: true,
});
const workers: ChildProcess[] = [];
let receiver: ReturnType<typeof createServer> | null = null;
let webhookStatuses = 0;
let webhookFound = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

for (let i = 0; ; i++) {
  if (
    await fetch(`${simUrl}/__sim/state`).then(
      () => true,
      () => false,
    )
  )
    break;
  if (i > 100) throw new Error("the simulator did not start");
  await sleep(200);
}
const configured = await fetch(`${simUrl}/__sim/config`, {
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    // with kill: Meta's "sent" status for every accepted message, so a recipient left unknown is settled by it
    statusDelaysMs: { sent: kill ? 50 : null, delivered: null, read: null },
    throughputMps: { STANDARD: level === "STANDARD" ? limit : 80, HIGH: level === "HIGH" ? limit : 1000 },
    pairRateLimit: { enabled: false },
    webhookUrl: kill ? `http://127.0.0.1:${receiverPort}/webhook` : null,
  }),
});
if (!configured.ok) throw new Error(`the simulator refused its configuration: ${await configured.text()}`);
const appEnv: Record<string, string> = { ...localEnv({ port: 3999, simPort, databaseUrl: url, poolMax: 20 }), NODE_ENV: "production" };
Object.assign(process.env, appEnv);

// imported after the environment is set: the Graph client reads it on first use
const { syncTemplates } = await import("../../src/server/templates/templates");
const { createBroadcast, startBroadcast } = await import("../../src/server/broadcasts/lifecycle");
const { planBroadcastChunks } = await import("../../src/server/broadcasts/sending");
const { applyStatusUpdates } = await import("../../src/server/messaging/webhook-status");

function startWorker(label: string) {
  const worker = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ...(cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : []),
      "scripts/bench/broadcast-worker.ts",
    ],
    {
      env: {
        ...process.env,
        ...appEnv,
        BENCH_LEVEL: level,
        BENCH_LIMIT: String(limit),
        BENCH_RELAY_LIMIT: instances > 1 ? "1" : "100",
        BENCH_MAX_RELAYS: instances > 1 ? "1" : "4",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  workers.push(worker);
  return new Promise<ChildProcess>((resolve, reject) => {
    worker.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(worker));
    worker.once("exit", (code) => reject(new Error(`worker ${label} exited (${code}) before it was ready`)));
  });
}

async function stopWorker(worker: ChildProcess, signal: NodeJS.Signals) {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.kill(signal);
  await exited;
}

async function bakery(db: Db, label: string, contacts: number, metaPhoneNumberId: string, accountId: string) {
  const number = await db.phoneNumber.create({
    data: {
      metaPhoneNumberId,
      businessAccountId: accountId,
      displayPhoneNumber: label,
      status: "CONNECTED",
      platformType: "CLOUD_API",
      throughputLevel: level,
      qualityRating: "GREEN",
    },
  });
  const tenant = await db.tenant.create({
    data: {
      name: `Bench ${label}`,
      slug: `bench-${label}`,
      whatsappSettings: { create: { enabled: true, phoneNumberId: number.id, language: "es" } },
    },
  });
  await db.$executeRaw`
    INSERT INTO "contacts" ("id", "tenantId", "phoneE164", "name", "optedIn", "optedInAt", "createdAt", "updatedAt")
    SELECT 'c-' || ${label} || '-' || n, ${tenant.id}, '+346' || lpad(n::text, 8, '0'), 'Cliente ' || n, true, now(), now() - make_interval(secs => ${contacts} - n), now()
    FROM generate_series(1, ${contacts}) AS n`;
  return { tenant, number };
}

const draft = {
  name: "Bench",
  templateName: "po_notification",
  parameters: [
    { kind: "field" as const, field: "name" as const },
    { kind: "fixed" as const, value: "PROMO" },
    { kind: "fixed" as const, value: "20 %" },
  ],
  audience: { kind: "all" as const },
};

/** Database transactions committed so far (each statement of Recado's is one; the stats are read after the workers ended). */
async function transactions(client: pg.Client) {
  await client.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await client.query<{ n: string }>(
    "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()",
  );
  return Number(rows[0]!.n);
}

try {
  await applyMigrations(url);
  const db = createDb(url, 20);
  const account = await db.businessAccount.create({
    data: { wabaId: simulatorDefaults.masterWabaId, name: "Bakery Platform", kind: "MASTER" },
  });
  await syncTemplates({ db, businessAccountId: account.id });
  const control = simulatorControl(simUrl);

  // 1. planning
  if (planCount > 0) {
    const planner = await bakery(db, "plan", planCount, "106540352242922", account.id);
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const planStarted = performance.now();
    const created = await createBroadcast({ db, tenantId: planner.tenant.id, userId: null, input: draft });
    const started = await startBroadcast({ db, tenantId: planner.tenant.id, broadcastId: created.id });
    const recorded = performance.now();
    const chunks = await planBroadcastChunks({ db, broadcastId: created.id });
    const planned = performance.now();
    clearInterval(sampler);
    console.log(`\nbroadcast planning — ${planCount.toLocaleString()} opted-in contacts, PostgreSQL`);
    console.log(
      `  recipients recorded: ${started.total.toLocaleString()} in ${((recorded - planStarted) / 1000).toFixed(2)} s; ` +
        `${chunks.length} chunks built in ${((planned - recorded) / 1000).toFixed(2)} s; rss ${mb(baseline.rss)} → peak ${mb(peakRss)}`,
    );
    console.log(`bench:broadcast planning: ${planCount} recipients in ${((planned - planStarted) / 1000).toFixed(2)} s (target < 10 s)`);
    // only planned: its jobs are set aside
    await db.jobOutbox.updateMany({ where: { dispatchedAt: null }, data: { dispatchedAt: new Date() } });
  }

  // 2. sending
  const bakeries = [];
  for (let i = 0; i < numbers; i++) {
    const metaId = `9${String(100000000000000 + i)}`;
    await control.createPhoneNumber({
      id: metaId,
      displayPhoneNumber: `+34 600 000 ${String(100 + i)}`,
      verifiedName: `Bench ${i}`,
      registered: true,
      wabaId: simulatorDefaults.masterWabaId,
      throughput: level,
    } as never);
    bakeries.push(await bakery(db, `send${i}`, perNumber, metaId, account.id));
  }

  if (kill) {
    // Meta's status webhooks, applied with the app's own statement (the route stores and drains them the same way)
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        type Raw = { id: string; status: string; timestamp: string; errors?: { code: number }[]; biz_opaque_callback_data?: string };
        const json = JSON.parse(body) as { entry: { changes: { value: { statuses?: Raw[] } }[] }[] };
        const updates = json.entry.flatMap((e) =>
          e.changes.flatMap((c) =>
            (c.value.statuses ?? []).map((s) => ({
              messageId: s.id,
              status: s.status,
              timestamp: Number(s.timestamp),
              errors: s.errors ?? [],
              bizOpaqueCallbackData: s.biz_opaque_callback_data,
            })),
          ),
        );
        webhookStatuses += updates.length;
        applyStatusUpdates({ db, updates }).then(
          (results) => {
            webhookFound += results.filter((r) => r.found).length;
            res.writeHead(200).end();
          },
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(receiverPort, "127.0.0.1", resolve));
  }

  const stats = new pg.Client({ connectionString: url });
  await stats.connect();
  const txBefore = await transactions(stats);
  let ownQueries = 0;

  const broadcastIds: string[] = [];
  for (const { tenant } of bakeries) {
    const created = await createBroadcast({ db, tenantId: tenant.id, userId: null, input: draft });
    await startBroadcast({ db, tenantId: tenant.id, broadcastId: created.id });
    broadcastIds.push(created.id);
  }
  const sendStarted = Date.now();
  await Promise.all(Array.from({ length: instances }, (_, i) => startWorker(`instance${i}`)));

  let resumedInS: number | null = null;
  let acceptedAtKill = 0;
  if (kill) {
    const metaId = bakeries[0]!.number.metaPhoneNumberId;
    while ((await control.messages({ phoneNumberId: metaId })).length < perNumber / 3) await sleep(100);
    await stopWorker(workers[0]!, "SIGKILL");
    const killedAt = Date.now();
    acceptedAtKill = (await control.messages({ phoneNumberId: metaId })).length;
    console.log(`\n  killed the instance (SIGKILL) with ${acceptedAtKill} accepted; starting a new one`);
    await startWorker("restarted");
    const restartedAt = Date.now();
    const settledAtKill = (await control.messages({ phoneNumberId: metaId })).filter((m) => m.acceptedAt <= killedAt + 50).length;
    for (;;) {
      const after = (await control.messages({ phoneNumberId: metaId })).filter((m) => m.acceptedAt > restartedAt);
      if (after.length > 0) {
        resumedInS = (Math.min(...after.map((m) => m.acceptedAt)) - restartedAt) / 1000;
        break;
      }
      if (Date.now() - restartedAt > 120_000) break;
      await sleep(100);
    }
    console.log(
      `  accepted before the kill took effect: ${settledAtKill}; sending resumed ${resumedInS === null ? "NOT within 120 s" : `${resumedInS.toFixed(1)} s`} after the restart`,
    );
  }

  // until every broadcast is over (completed, or stuck: 5 minutes)
  for (;;) {
    ownQueries += 1;
    const open = await db.broadcast.count({ where: { id: { in: broadcastIds }, status: { not: "COMPLETED" } } });
    if (open === 0 || Date.now() - sendStarted > 300_000) break;
    await sleep(250);
  }
  for (const worker of workers) await stopWorker(worker, "SIGTERM");
  await sleep(700); // the statistics collector's flush
  const txUsed = (await transactions(stats)) - txBefore - ownQueries;
  await stats.end();

  console.log(`\nbroadcast sending — ${scenario}; ${perNumber.toLocaleString()} recipients per number (Recado paces at 97%)`);
  const ratios: number[] = [];
  let totalSent = 0;
  let totalThrottled = 0;
  let allOnce = true;
  for (const [i, { tenant, number }] of bakeries.entries()) {
    const accepted = await control.messages({ phoneNumberId: number.metaPhoneNumberId });
    const perTo = new Map<string, number>();
    for (const m of accepted) perTo.set(m.to, (perTo.get(m.to) ?? 0) + 1);
    const once = perTo.size === perNumber && [...perTo.values()].every((n) => n === 1);
    allOnce &&= once;
    const times = accepted.map((m) => m.acceptedAt).sort((a, b) => a - b);
    const rate = times.length > 1 ? ((times.length - 1) * 1000) / (times[times.length - 1]! - times[0]!) : 0;
    const sent = await db.broadcastRecipient.count({ where: { broadcastId: broadcastIds[i], status: "SENT" } });
    const other = await db.broadcastRecipient.groupBy({
      by: ["status"],
      where: { broadcastId: broadcastIds[i], status: { not: "SENT" } },
      _count: true,
    });
    const throttled = await db.message.count({ where: { tenantId: tenant.id, errorCode: 130429 } });
    totalSent += sent;
    totalThrottled += throttled;
    ratios.push(rate / limit);
    console.log(
      `  number ${i + 1}: ${rate.toFixed(1)} msg/s = ${pct(rate / limit)} of the limit; 130429: ${throttled}; ` +
        `sent ${sent}${other.length ? ` (${other.map((o) => `${o.status} ${o._count}`).join(", ")})` : ""}; ` +
        `simulator accepted ${accepted.length} for ${perTo.size} recipients: ${once ? "each exactly once" : "NOT each exactly once"}`,
    );
  }
  const worst = Math.min(...ratios);
  if (cpuProf) console.log(`  CPU profiles in ${profileDir}`);
  if (kill) console.log(`  status webhooks received: ${webhookStatuses}, matched to a message: ${webhookFound}`);
  console.log(
    `  database transactions per message (claim, insert, record, pacing, status reads, outbox): ${(txUsed / Math.max(1, totalSent)).toFixed(3)}`,
  );
  console.log(
    `bench:broadcast ${scenario}: slowest number ${(worst * limit).toFixed(1)} msg/s = ${pct(worst)} of the limit, ` +
      `${totalThrottled} × 130429, ${allOnce ? "every recipient accepted exactly once" : "NOT every recipient exactly once"}` +
      (kill ? `, resumed ${resumedInS === null ? "never" : `${resumedInS.toFixed(1)} s`} after the restart` : ""),
  );
  await db.$disconnect();
} finally {
  for (const worker of workers) await stopWorker(worker, "SIGKILL").catch(() => {});
  receiver?.close();
  try {
    process.kill(-sim.pid!, "SIGTERM");
  } catch {}
  await dropDatabase(server, name).catch(() => {});
}
