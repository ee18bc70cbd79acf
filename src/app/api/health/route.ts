import { restContext } from "@/server/api/rest/context";
import { healthRest, type HealthDeps } from "@/server/api/rest/health";
import { getEnv } from "@/server/env";
import { createHealthCache, sharedAccountProbe } from "@/server/monitoring/health-check";

export const dynamic = "force-dynamic";

// one cache per server process: the Graph check is shared by every request for 30 s
let deps: HealthDeps | undefined;

/** Liveness and readiness for anyone; the named checks for admins (src/server/api/rest/health.ts). */
export async function GET(req: Request) {
  deps ??= { cache: createHealthCache(), probe: sharedAccountProbe(getEnv()) };
  return healthRest(req, await restContext(), deps);
}
