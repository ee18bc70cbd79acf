/**
 * `npm run bench:broadcast`: broadcasts on a throw-away database (Postgres of DATABASE_URL, default local) and
 * the bundled Meta simulator, through the same domain code the Inngest functions run in their steps.
 *   1. planning: a 100,000-recipient broadcast is started (every recipient recorded, one INSERT … SELECT) and
 *      its fan-out chunk events are built; prints the time and the peak memory while doing it.
 *   2. sending: a 10,000-recipient broadcast is sent to the simulator, whose number is limited to
 *      BENCH_LIMIT msg/s (default 200, as is Recado's pacing); prints the achieved rate against the limit and
 *      how many 130429 (throughput) answers Meta gave.
 * Targets: planning < 10 s with flat memory; achieved rate within 5% of the limit; zero 130429.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { simulatorControl } from "../../src/meta-simulator/control-client";
import { createDb, type Db } from "../../src/server/db";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { applyMigrations } from "../lib/migrate";
import { localEnv, simulatorDefaults } from "../lib/dev-env";

const planCount = Number(process.env.BENCH_PLAN_RECIPIENTS ?? 100_000);
const sendCount = Number(process.env.BENCH_SEND_RECIPIENTS ?? 10_000);
const limit = Number(process.env.BENCH_LIMIT ?? 200);
const server = process.env.DATABASE_URL ?? defaultServerUrl;
const name = uniqueDatabaseName("recado_bench_broadcast");
const url = await createDatabase(server, name);

// The simulator runs in a process of its own, as Meta would be: it must not share the sender's event loop.
const simPort = Number(process.env.BENCH_SIM_PORT ?? 4399);
const simUrl = `http://127.0.0.1:${simPort}`;
const sim = spawn("npx", ["tsx", "src/meta-simulator/main.ts"], {
  env: { ...process.env, SIM_PORT: String(simPort), SIM_WEBHOOK_URL: "http://127.0.0.1:9/none" },
  stdio: "ignore",
  detached: true,
});
for (let i = 0; ; i++) {
  if (
    await fetch(`${simUrl}/__sim/state`).then(
      () => true,
      () => false,
    )
  )
    break;
  if (i > 100) throw new Error("the simulator did not start");
  await new Promise((r) => setTimeout(r, 200));
}
await fetch(`${simUrl}/__sim/config`, {
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    statusDelaysMs: { sent: null, delivered: null, read: null },
    throughputMps: { STANDARD: 80, HIGH: limit },
    webhookUrl: null,
  }),
});
Object.assign(process.env, localEnv({ port: 3999, simPort, databaseUrl: url, poolMax: 20 }), { NODE_ENV: "production" });

// imported after the environment is set: the Graph client reads it on first use
const { syncTemplates } = await import("../../src/server/templates/templates");
const { createBroadcast, startBroadcast } = await import("../../src/server/broadcasts/lifecycle");
const { planBroadcastChunks } = await import("../../src/server/broadcasts/sending");
const { broadcastFanOutJob, broadcastSendChunkJob } = await import("../../src/server/broadcasts/jobs");
const { jobEvents } = await import("../../src/server/jobs/events");
const { inlineTransport } = await import("../../src/server/jobs/inline-runner");
const { relayJobs } = await import("../../src/server/jobs/outbox");
const { throughputLimits } = await import("../../src/server/throughput/pacing");
throughputLimits.HIGH = limit;

async function bakery(db: Db, label: string, contacts: number, metaPhoneNumberId: string, accountId: string) {
  const number = await db.phoneNumber.create({
    data: {
      metaPhoneNumberId,
      businessAccountId: accountId,
      displayPhoneNumber: label,
      status: "CONNECTED",
      platformType: "CLOUD_API",
      throughputLevel: "HIGH",
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

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

try {
  await applyMigrations(url);
  const db = createDb(url, 20);
  const account = await db.businessAccount.create({
    data: { wabaId: simulatorDefaults.masterWabaId, name: "Bakery Platform", kind: "MASTER" },
  });
  await syncTemplates({ db, businessAccountId: account.id });
  const control = simulatorControl(simUrl);
  await control.updatePhoneNumber("106540352242923", { throughput: "HIGH" });

  // 1. planning
  const planner = await bakery(db, "plan", planCount, "106540352242922", account.id);
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const planStarted = performance.now();
  const created = await createBroadcast({ db, tenantId: planner.tenant.id, userId: null, input: draft });
  const started = await startBroadcast({ db, tenantId: planner.tenant.id, broadcastId: created.id });
  const recorded = performance.now();
  const chunks = await planBroadcastChunks({ db, broadcastId: created.id });
  const planned = performance.now();
  clearInterval(sampler);
  console.log(`\nbroadcast planning — ${planCount.toLocaleString()} opted-in contacts, PostgreSQL`);
  console.log(`  recipients recorded: ${started.total.toLocaleString()} in ${((recorded - planStarted) / 1000).toFixed(2)} s`);
  console.log(
    `  fan-out events built: ${chunks.length.toLocaleString()} chunks of up to ${chunks[0] ? chunks[0].toSeq - chunks[0].fromSeq + 1 : 0} in ${((planned - recorded) / 1000).toFixed(2)} s`,
  );
  console.log(`  planning total: ${((planned - planStarted) / 1000).toFixed(2)} s (target < 10 s)`);
  console.log(
    `  memory: rss ${mb(baseline.rss)} → peak ${mb(peakRss)}, heap ${mb(baseline.heapUsed)} → peak ${mb(peakHeap)} (the recipients never pass through the app)`,
  );

  // 2. sending (the planning broadcast is only planned: its start job is set aside)
  await db.jobOutbox.updateMany({ where: { dispatchedAt: null }, data: { dispatchedAt: new Date() } });
  const sendingBakery = await bakery(db, "send", sendCount, "106540352242923", account.id);
  const toSend = await createBroadcast({ db, tenantId: sendingBakery.tenant.id, userId: null, input: draft });
  await startBroadcast({ db, tenantId: sendingBakery.tenant.id, broadcastId: toSend.id });
  const sendStarted = performance.now();
  // the broadcast jobs as RECADO_JOBS=inline runs them, relayed until nothing of them is left
  const transport = inlineTransport(db, [broadcastFanOutJob, broadcastSendChunkJob]);
  const names = [jobEvents.broadcastStarted.name, jobEvents.broadcastChunk.name];
  while (await db.jobOutbox.count({ where: { dispatchedAt: null, name: { in: names } } })) {
    await relayJobs({ db, transport, names });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - sendStarted) / 1000;
  const sent = await db.broadcastRecipient.count({ where: { broadcastId: toSend.id, status: "SENT" } });
  const failed = await db.broadcastRecipient.count({ where: { broadcastId: toSend.id, status: { in: ["FAILED", "UNKNOWN"] } } });
  const throttled = await db.message.count({ where: { tenantId: sendingBakery.tenant.id, errorCode: 130429 } });
  const accepted = (await control.messages({ phoneNumberId: "106540352242923" })).length;
  const rate = sent / seconds;
  console.log(
    `\nbroadcast sending — ${sendCount.toLocaleString()} recipients, number limited to ${limit} msg/s (Recado paces at ${(limit * 0.97).toFixed(0)})`,
  );
  console.log(
    `  sent ${sent.toLocaleString()}, failed ${failed}, accepted by the simulator ${accepted.toLocaleString()} in ${seconds.toFixed(1)} s`,
  );
  console.log(`  achieved rate: ${rate.toFixed(0)} msg/s = ${((rate / limit) * 100).toFixed(1)}% of the limit (target ≥ 95%)`);
  console.log(`  rate-limit errors (130429) received: ${throttled} (target 0)`);
  console.log(`  each recipient sent once: ${accepted === sent ? "yes" : `NO (${accepted} accepted for ${sent} sent)`}`);
  await db.$disconnect();
} finally {
  try {
    process.kill(-sim.pid!, "SIGTERM");
  } catch {}
  await dropDatabase(server, name).catch(() => {});
}
