/**
 * Local stand-in for Meta's Embedded Signup popup. In production the browser's Facebook Login popup hands the
 * page a 30-second code; against the bundled simulator there is no popup, so the simulator's control API mints
 * that code (for its customer account) instead. Refused unless the Graph base URL really is the simulator.
 */
import { simulatorControl } from "@/meta-simulator/control-client";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";

export async function graphIsSimulator(): Promise<boolean> {
  const base = getEnv().META_GRAPH_BASE_URL;
  if (/graph\.facebook\.com/.test(base)) return false;
  try {
    const res = await fetch(new URL("/__sim/health", base), { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { ok?: boolean }).ok === true;
  } catch {
    return false;
  }
}

export async function simulatedSignupCode(): Promise<{ code: string; wabaId: string; phoneNumberId?: string }> {
  if (!(await graphIsSimulator())) {
    throw new AppError("NOT_FOUND", "The simulated sign-up is only available when Recado talks to the Meta simulator.");
  }
  const grant = await simulatorControl(getEnv().META_GRAPH_BASE_URL).createOAuthCode({});
  return { code: grant.code, wabaId: grant.wabaIds[0]!, ...(grant.phoneNumberIds[0] ? { phoneNumberId: grant.phoneNumberIds[0] } : {}) };
}
