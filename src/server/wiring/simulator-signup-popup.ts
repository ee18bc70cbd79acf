/**
 * The simulated signup popup for local mode: the simulator's control API mints the code Meta's popup would
 * hand the page (for the simulator's customer account). Only the wiring imports the simulator's client.
 */
import { simulatorControl } from "@/meta-simulator/control-client";
import { getEnv } from "@/server/env";
import type { SimulatedSignupPopup } from "@/server/signup/simulated-popup";

async function graphIsSimulator(): Promise<boolean> {
  const base = getEnv().META_GRAPH_BASE_URL;
  if (/graph\.facebook\.com/.test(base)) return false;
  try {
    const res = await fetch(new URL("/__sim/health", base), { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { ok?: boolean }).ok === true;
  } catch {
    return false;
  }
}

export const simulatorSignupPopup: SimulatedSignupPopup = {
  isAvailable: graphIsSimulator,
  async mintCode() {
    const grant = await simulatorControl(getEnv().META_GRAPH_BASE_URL).createOAuthCode({});
    return { code: grant.code, wabaId: grant.wabaIds[0]!, ...(grant.phoneNumberIds[0] ? { phoneNumberId: grant.phoneNumberIds[0] } : {}) };
  },
};
