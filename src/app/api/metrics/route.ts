import { restContext } from "@/server/api/rest/context";
import { metricsRest } from "@/server/api/rest/metrics";
import { createMetricsRegistry, type MetricsRegistry } from "@/server/monitoring/metrics";

export const dynamic = "force-dynamic";

// one registry per server process: the pacing counters are this process's
let metrics: MetricsRegistry | undefined;

/** Prometheus' text format, admins only (src/server/api/rest/metrics.ts). */
export async function GET(req: Request) {
  metrics ??= createMetricsRegistry();
  return metricsRest(req, await restContext(), metrics);
}
