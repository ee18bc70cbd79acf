/**
 * The simulated signup popup for local mode. Meta's popup hands the page a 30-second code; the bundled simulator
 * mints one over its control API (`POST /__sim/oauth-codes`, see src/meta-simulator/README.md). Recado talks to the
 * simulator only over HTTP, as it talks to Meta: nothing of the simulator's code is imported here.
 */
import { z } from "zod";
import { getEnv } from "@/server/env";
import type { SimulatedSignupPopup } from "@/server/signup/simulated-popup";

const simulatorRoot = () => `${getEnv().META_GRAPH_BASE_URL.replace(/\/+$/, "")}/__sim`;

const mintedCode = z.object({ code: z.string(), wabaIds: z.array(z.string()).min(1), phoneNumberIds: z.array(z.string()) });

async function graphIsSimulator(): Promise<boolean> {
  if (/graph\.facebook\.com/.test(getEnv().META_GRAPH_BASE_URL)) return false;
  try {
    const res = await fetch(`${simulatorRoot()}/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { ok?: boolean }).ok === true;
  } catch {
    return false;
  }
}

export const simulatorSignupPopup: SimulatedSignupPopup = {
  isAvailable: graphIsSimulator,
  async mintCode() {
    const res = await fetch(`${simulatorRoot()}/oauth-codes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`the simulator refused to mint a signup code (HTTP ${res.status})`);
    const grant = mintedCode.parse(await res.json());
    return { code: grant.code, wabaId: grant.wabaIds[0]!, ...(grant.phoneNumberIds[0] ? { phoneNumberId: grant.phoneNumberIds[0] } : {}) };
  },
};
