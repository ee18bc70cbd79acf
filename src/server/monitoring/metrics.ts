/**
 * Recado's figures in Prometheus' text format (`GET /api/metrics`, https://prometheus.io/docs/instrumenting/exposition_formats/),
 * for an operator's Prometheus and Grafana.
 *
 * Almost every figure is read from the database at scrape time, so any app instance answers for all of them and a
 * restart loses nothing: they are gauges over a window (the last 24 h) or of the current backlog. Only the pacing
 * waits are this process's own (src/server/throughput/pacing-tally.ts): counters since the process started, which
 * Prometheus sums across instances.
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { Db } from "@/server/db";
import { pacingTally } from "@/server/throughput/pacing-tally";

export type MetricsRegistry = { registry: Registry; scrape: (db: Db) => Promise<string> };

type Row = Record<string, string | number | null>;

async function readSnapshot(db: Db) {
  const [sends, statuses, refusals, intake, webhookBacklog, webhookOldest, jobs, jobOldest, paused] = await Promise.all([
    db.$queryRaw<{ status: string; source: string; n: number }[]>`
      SELECT "status"::text AS status, "source", count(*)::int AS n FROM "messages"
      WHERE "direction" = 'OUTBOUND' AND "createdAt" >= now() - interval '24 hours' GROUP BY 1, 2`,
    db.$queryRaw<{ status: string; n: number }[]>`
      SELECT "status"::text AS status, count(*)::int AS n FROM "message_status_events"
      WHERE "occurredAt" >= now() - interval '24 hours' GROUP BY 1`,
    db.$queryRaw<{ meta_code: number | null; recado_code: string | null; n: number }[]>`
      SELECT "errorCode" AS meta_code, "appErrorCode" AS recado_code, count(*)::int AS n FROM "messages"
      WHERE "direction" = 'OUTBOUND' AND "status" = 'FAILED' AND "statusAt" >= now() - interval '24 hours' GROUP BY 1, 2`,
    db.$queryRaw<{ field: string; n: number }[]>`
      SELECT "field", count(*)::int AS n FROM "webhook_items" WHERE "createdAt" >= now() - interval '24 hours' GROUP BY 1`,
    db.$queryRaw<{ status: string; n: number }[]>`
      SELECT "status"::text AS status, count(*)::int AS n FROM "webhook_items"
      WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED', 'QUARANTINED') GROUP BY 1`,
    db.$queryRaw<{ seconds: number | null }[]>`
      SELECT extract(epoch from now() - min("createdAt"))::float8 AS seconds FROM "webhook_items"
      WHERE "status" IN ('PENDING', 'PROCESSING', 'FAILED')`,
    db.$queryRaw<{ name: string; waiting: number; failing: number }[]>`
      SELECT "name", count(*)::int AS waiting, count(*) FILTER (WHERE "attempts" > 0)::int AS failing FROM "job_outbox"
      WHERE "dispatchedAt" IS NULL GROUP BY 1`,
    db.$queryRaw<{ seconds: number | null }[]>`
      SELECT extract(epoch from now() - min("createdAt"))::float8 AS seconds FROM "job_outbox" WHERE "dispatchedAt" IS NULL`,
    db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "send_pacing" WHERE "pausedUntil" > (clock_timestamp() AT TIME ZONE 'UTC')`,
  ]);
  return {
    sends,
    statuses,
    refusals,
    intake,
    webhookBacklog,
    webhookOldestSeconds: webhookOldest[0]?.seconds ?? 0,
    jobs,
    jobOldestSeconds: jobOldest[0]?.seconds ?? 0,
    pausedNumbers: paused[0]?.n ?? 0,
  };
}

function setAll<L extends string>(gauge: Gauge<L>, rows: Row[], labels: (row: Row) => Record<L, string>, value: (row: Row) => number) {
  gauge.reset();
  for (const row of rows) gauge.set(labels(row), value(row));
}

/** A registry with Recado's metrics; `scrape` reads the database and answers the text format. */
export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  const registers = [registry];
  const sends = new Gauge({
    name: "recado_outbound_messages_last_24h",
    help: "Messages sent (recorded for Meta) in the last 24 hours, by their current status and where they came from",
    labelNames: ["status", "source"] as const,
    registers,
  });
  const statuses = new Gauge({
    name: "recado_message_statuses_last_24h",
    help: "Statuses messages reached in the last 24 hours (sent, delivered, read, failed), from Meta's webhooks and our sends",
    labelNames: ["status"] as const,
    registers,
  });
  const refusals = new Gauge({
    name: "recado_send_refusals_last_24h",
    help: "Outbound messages that failed in the last 24 hours, by Meta's error code and Recado's error code",
    labelNames: ["meta_code", "recado_code"] as const,
    registers,
  });
  const intake = new Gauge({
    name: "recado_webhook_items_received_last_24h",
    help: "Webhook items received from Meta in the last 24 hours, by field",
    labelNames: ["field"] as const,
    registers,
  });
  const webhookBacklog = new Gauge({
    name: "recado_webhook_items_waiting",
    help: "Webhook items not yet processed (PENDING, PROCESSING, FAILED awaiting a retry) and QUARANTINED for an admin",
    labelNames: ["status"] as const,
    registers,
  });
  const webhookOldest = new Gauge({
    name: "recado_webhook_oldest_waiting_seconds",
    help: "Age of the oldest webhook item still waiting to be processed (0 when none waits)",
    registers,
  });
  const jobs = new Gauge({
    name: "recado_job_outbox_waiting",
    help: "Job events not yet handed over (to Inngest or the in-process runner), by job event",
    labelNames: ["event"] as const,
    registers,
  });
  const jobsFailing = new Gauge({
    name: "recado_job_outbox_retrying",
    help: "Job events whose hand-over failed at least once and waits for another attempt, by job event",
    labelNames: ["event"] as const,
    registers,
  });
  const jobOldest = new Gauge({
    name: "recado_job_outbox_oldest_waiting_seconds",
    help: "Age of the oldest job event not yet handed over (0 when none waits)",
    registers,
  });
  const paused = new Gauge({
    name: "recado_numbers_paused_by_meta",
    help: "Phone numbers whose sending is paused right now after Meta answered 130429 (throughput reached)",
    registers,
  });
  // in-process counters: reset and set to this process's tally at each scrape
  const slotWaits = new Counter({
    name: "recado_pacing_waits_total",
    help: "Sends of this process that waited for their pacing slot or for room in Meta's sliding second",
    registers,
  });
  const slotWaitSeconds = new Counter({
    name: "recado_pacing_wait_seconds_total",
    help: "Time sends of this process spent waiting for their pacing slot",
    registers,
  });
  const deferrals = new Counter({
    name: "recado_pacing_deferrals_total",
    help: "Sends of this process Meta refused with a pacing code and that were tried again (130429 throughput, 131056 pair rate)",
    labelNames: ["reason"] as const,
    registers,
  });

  async function scrape(db: Db) {
    const s = await readSnapshot(db);
    setAll(
      sends,
      s.sends,
      (r) => ({ status: String(r.status), source: String(r.source) }),
      (r) => Number(r.n),
    );
    setAll(
      statuses,
      s.statuses,
      (r) => ({ status: String(r.status) }),
      (r) => Number(r.n),
    );
    setAll(
      refusals,
      s.refusals,
      (r) => ({ meta_code: r.meta_code === null ? "none" : String(r.meta_code), recado_code: String(r.recado_code ?? "none") }),
      (r) => Number(r.n),
    );
    setAll(
      intake,
      s.intake,
      (r) => ({ field: String(r.field) }),
      (r) => Number(r.n),
    );
    webhookBacklog.reset();
    for (const status of ["PENDING", "PROCESSING", "FAILED", "QUARANTINED"]) {
      webhookBacklog.set({ status }, s.webhookBacklog.find((r) => r.status === status)?.n ?? 0);
    }
    webhookOldest.set(s.webhookOldestSeconds);
    setAll(
      jobs,
      s.jobs,
      (r) => ({ event: String(r.name) }),
      (r) => Number(r.waiting),
    );
    setAll(
      jobsFailing,
      s.jobs,
      (r) => ({ event: String(r.name) }),
      (r) => Number(r.failing),
    );
    jobOldest.set(s.jobOldestSeconds);
    paused.set(s.pausedNumbers);
    slotWaits.reset();
    slotWaits.inc(pacingTally.slotWaits);
    slotWaitSeconds.reset();
    slotWaitSeconds.inc(pacingTally.slotWaitMs / 1000);
    deferrals.reset();
    for (const [reason, count] of Object.entries(pacingTally.deferrals)) deferrals.inc({ reason }, count);
    return registry.metrics();
  }

  return { registry, scrape };
}
