/**
 * The Inngest endpoint outside dev mode: an unsigned request (the attack: POST ?fnId=…&stepId=step) is refused
 * and runs nothing; unsigned introspection (GET) tells nothing. Dev mode only with INNGEST_DEV=1.
 */
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { afterAll, describe, expect, it, vi } from "vitest";
import { inngestDevModeRequested } from "@/server/env-production";

const saved = { INNGEST_DEV: process.env.INNGEST_DEV, INNGEST_SIGNING_KEY: process.env.INNGEST_SIGNING_KEY };
afterAll(() => Object.assign(process.env, saved));

/** The step-run request Inngest sends (what the attack replayed without a signature). */
function stepRun(fnId: string) {
  const body = JSON.stringify({
    event: { name: "inngest/scheduled.timer", data: {}, ts: Date.now() },
    events: [{ name: "inngest/scheduled.timer", data: {}, ts: Date.now() }],
    steps: {},
    ctx: { run_id: "01HATTACK", attempt: 0, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
    version: 1,
  });
  return new Request(`http://localhost:3000/api/inngest?fnId=${fnId}&stepId=step`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

function probe(env: Record<string, string | undefined>) {
  const ran = vi.fn();
  const client = new Inngest({
    id: "probe",
    isDev: inngestDevModeRequested(env),
    signingKey: "signkey-prod-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  });
  const fn = client.createFunction({ id: "step", triggers: [{ cron: "* * * * *" }] }, async () => ran());
  const handler = serve({ client, functions: [fn] }) as unknown as Record<
    "GET" | "POST",
    (req: Request, ctx: unknown) => Promise<Response>
  >;
  return { ran, handler };
}

describe("Inngest serve endpoint", () => {
  it("dev mode only when INNGEST_DEV asks for it", () => {
    expect(inngestDevModeRequested({})).toBe(false);
    expect(inngestDevModeRequested({ INNGEST_DEV: "0" })).toBe(false);
    expect(inngestDevModeRequested({ INNGEST_DEV: "false" })).toBe(false);
    expect(inngestDevModeRequested({ INNGEST_DEV: "1" })).toBe(true);
    expect(inngestDevModeRequested({ INNGEST_DEV: "http://127.0.0.1:8288" })).toBe(true);
  });

  it("refuses an unsigned step run and runs nothing (and would run it in dev mode: the probe can tell)", async () => {
    const production = probe({});
    const refused = await production.handler.POST(stepRun("probe-step"), {});
    expect(refused.status).toBe(401);
    expect(production.ran).not.toHaveBeenCalled();

    const dev = probe({ INNGEST_DEV: "1" });
    const ran = await dev.handler.POST(stepRun("probe-step"), {});
    expect(ran.status, await ran.clone().text()).toBeLessThan(300);
    expect(dev.ran).toHaveBeenCalled();
  });

  it("Recado's route, configured for production, refuses unsigned runs and introspection", async () => {
    delete process.env.INNGEST_DEV;
    process.env.INNGEST_SIGNING_KEY = "signkey-prod-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    vi.resetModules();
    const route = (await import("@/app/api/inngest/route")) as unknown as Record<
      "GET" | "POST",
      (req: Request, ctx: unknown) => Promise<Response>
    >;
    const post = await route.POST(stepRun("recado-sweep-webhook-items"), {});
    expect(post.status).toBe(401);
    expect(await post.text()).not.toMatch(/StepRun|function_count|drain/);

    const get = await route.GET(new Request("http://localhost:3000/api/inngest"), {});
    expect(get.status).toBe(401);
    const text = await get.text();
    expect(text).not.toMatch(/function_count|mode|has_signing_key/);
  });
});
