/**
 * The REST error sweep: every REST route, with an unknown id and with a NUL byte in its path, query and body:
 * never a 500, never internals in the body. A route file not in this table fails the first test.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/server/api-keys/api-keys";
import { assignPhoneRest, listPhoneNumbersRest, listTenantsRest, unassignPhoneRest } from "@/server/api/rest/admin-whatsapp";
import { createPurchaseOrderRest } from "@/server/api/rest/tenant-api";
import { testDb } from "@/test/db";
import { internals } from "@/test/error-sweep";
import { createTenantWithOwner, sessionFor } from "@/test/fixtures";
import { broadcastReportRest } from "@/server/api/rest/broadcast-report";
import { localJobsRest } from "@/server/api/rest/local-jobs";
import { healthRest } from "@/server/api/rest/health";
import { metricsRest } from "@/server/api/rest/metrics";
import { createMetricsRegistry } from "@/server/monitoring/metrics";
import { createHealthCache, sharedAccountProbe } from "@/server/monitoring/health-check";
import { getEnv } from "@/server/env";

const adminApiToken = "sweep-admin-token-0123456789abcdef";
const admin = () => ({ db: testDb(), session: null, adminApiToken });
const asAdmin = { authorization: `Bearer ${adminApiToken}`, "content-type": "application/json" };
const nul = "x\u0000y";
const unknownId = "c0000000000000000000000000";
const localInline = { META_GRAPH_BASE_URL: "http://127.0.0.1:4010", RECADO_JOBS: "inline" as const };

const healthDeps = () => ({ cache: createHealthCache(), probe: sharedAccountProbe(getEnv()) });

type Sweep = Record<"unknown id" | "NUL byte", () => Promise<Response>>;

async function apiKey() {
  const { tenant, owner } = await createTenantWithOwner(testDb());
  const { key } = await createApiKey({ db: testDb(), tenantId: tenant.id, name: "sweep", actor: { userId: owner.id, label: owner.email } });
  return { authorization: `Bearer ${key}`, "content-type": "application/json" };
}

const base = "http://localhost/api/v1";
const routes: Record<string, Sweep> = {
  "v1/admin/whatsapp/phone-numbers": {
    "unknown id": () =>
      listPhoneNumbersRest(new Request(`${base}/admin/whatsapp/phone-numbers?id=${unknownId}`, { headers: asAdmin }), admin()),
    "NUL byte": () =>
      listPhoneNumbersRest(new Request(`${base}/admin/whatsapp/phone-numbers?x=${encodeURIComponent(nul)}`, { headers: asAdmin }), admin()),
  },
  "v1/admin/whatsapp/tenants": {
    "unknown id": () => listTenantsRest(new Request(`${base}/admin/whatsapp/tenants?search=${unknownId}`, { headers: asAdmin }), admin()),
    "NUL byte": () =>
      listTenantsRest(new Request(`${base}/admin/whatsapp/tenants?search=${encodeURIComponent(nul)}`, { headers: asAdmin }), admin()),
  },
  "v1/admin/whatsapp/tenants/[id]/assign-phone": {
    "unknown id": () =>
      assignPhoneRest(
        new Request(`${base}/admin/whatsapp/tenants/${unknownId}/assign-phone`, {
          method: "POST",
          headers: asAdmin,
          body: JSON.stringify({ phone_number_id: "999999999999999" }),
        }),
        admin(),
        unknownId,
      ),
    "NUL byte": () =>
      assignPhoneRest(
        new Request(`${base}/admin/whatsapp/tenants/${encodeURIComponent(nul)}/assign-phone`, {
          method: "POST",
          headers: asAdmin,
          body: JSON.stringify({ phone_number_id: nul }),
        }),
        admin(),
        nul,
      ),
  },
  "v1/admin/whatsapp/tenants/[id]/unassign-phone": {
    "unknown id": () =>
      unassignPhoneRest(
        new Request(`${base}/admin/whatsapp/tenants/${unknownId}/unassign-phone`, { method: "DELETE", headers: asAdmin }),
        admin(),
        unknownId,
      ),
    "NUL byte": () =>
      unassignPhoneRest(
        new Request(`${base}/admin/whatsapp/tenants/${encodeURIComponent(nul)}/unassign-phone`, { method: "DELETE", headers: asAdmin }),
        admin(),
        nul,
      ),
  },
  "v1/purchase-orders": {
    "unknown id": async () =>
      createPurchaseOrderRest(
        new Request(`${base}/purchase-orders`, {
          method: "POST",
          headers: await apiKey(),
          body: JSON.stringify({ supplier_phone: "+34612345678", supplier_name: "S", order_number: unknownId, total: "1 €" }),
        }),
        { db: testDb() },
      ),
    "NUL byte": async () =>
      createPurchaseOrderRest(
        new Request(`${base}/purchase-orders`, {
          method: "POST",
          headers: await apiKey(),
          body: JSON.stringify({ supplier_phone: "+34612345678", supplier_name: nul, order_number: nul, total: nul }),
        }),
        { db: testDb() },
      ),
  },
  // run in local mode with inline jobs, as the e2e suite does, so the sweep reaches past the mode check
  "local/jobs": {
    "unknown id": () =>
      localJobsRest(
        new Request("http://localhost/api/local/jobs", { method: "POST", headers: asAdmin, body: JSON.stringify({ action: unknownId }) }),
        admin(),
        localInline,
      ),
    "NUL byte": () =>
      localJobsRest(
        new Request(`http://localhost/api/local/jobs?x=${encodeURIComponent(nul)}`, {
          method: "POST",
          headers: asAdmin,
          body: JSON.stringify({ action: nul }),
        }),
        admin(),
        localInline,
      ),
  },
  health: {
    "unknown id": () => healthRest(new Request(`http://localhost/api/health?id=${unknownId}`, { headers: asAdmin }), admin(), healthDeps()),
    "NUL byte": () =>
      healthRest(new Request(`http://localhost/api/health?x=${encodeURIComponent(nul)}`, { headers: asAdmin }), admin(), healthDeps()),
  },
  metrics: {
    "unknown id": () =>
      metricsRest(new Request(`http://localhost/api/metrics?id=${unknownId}`, { headers: asAdmin }), admin(), createMetricsRegistry()),
    "NUL byte": () =>
      metricsRest(
        new Request(`http://localhost/api/metrics?x=${encodeURIComponent(nul)}`, { headers: asAdmin }),
        admin(),
        createMetricsRegistry(),
      ),
  },
  "broadcasts/[id]/recipients.csv": {
    "unknown id": async () => {
      const { owner } = await createTenantWithOwner(testDb());
      return broadcastReportRest(
        new Request(`http://localhost/api/broadcasts/${unknownId}/recipients.csv`),
        { db: testDb(), session: sessionFor(owner) },
        unknownId,
      );
    },
    "NUL byte": async () => {
      const { owner } = await createTenantWithOwner(testDb());
      const req = new Request(`http://localhost/api/broadcasts/${encodeURIComponent(nul)}/recipients.csv?x=${encodeURIComponent(nul)}`);
      return broadcastReportRest(req, { db: testDb(), session: sessionFor(owner) }, nul);
    },
  },
};

/** Route files under src/app/api that answer with the REST layer (not NextAuth, tRPC, Inngest or Meta's webhooks). */
function restRouteFiles(dir = "src/app/api", prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return restRouteFiles(path, prefix ? `${prefix}/${name}` : name);
    return name === "route.ts" ? [prefix] : [];
  });
}

describe("REST error sweep", () => {
  it("covers every REST route", () => {
    const rest = restRouteFiles().filter((route) => !/^(auth|trpc|inngest|webhooks)\//.test(route) && route !== "inngest");
    expect(rest.sort()).toEqual(Object.keys(routes).sort());
  });

  for (const [route, sweep] of Object.entries(routes)) {
    for (const [variant, call] of Object.entries(sweep)) {
      it(`${route} with ${variant}: never a 500, never internals`, async () => {
        const response = await call();
        const body = await response.text();
        expect(response.status, body).not.toBe(500);
        expect(body).not.toMatch(internals);
        if (variant === "NUL byte") expect(response.status, body).toBe(400);
        // routes with an id in the path name what was not found
        else if (route.includes("[id]")) expect(response.status, body).toBe(404);
      });
    }
  }
});
