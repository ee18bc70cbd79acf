import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { acknowledgeAlert, listAlerts, raiseAlert, type AlertKind } from "@/server/alerts/alerts";
import { testDb } from "@/test/db";
import { createAdmin, createTenantWithOwner } from "@/test/fixtures";

describe("alerts history", () => {
  it("keeps acknowledged alerts with who acknowledged them and when, filterable by status, severity, kind and bakery", async () => {
    const db = testDb();
    const admin = await createAdmin(db);
    const { tenant } = await createTenantWithOwner(db);
    // a kind of its own (not one the server raises) keeps this test apart from alerts other tests raise
    const kind = `probe_${randomUUID().slice(0, 8)}` as AlertKind;
    const first = await raiseAlert({
      db,
      kind,
      severity: "WARNING",
      title: "one",
      message: "m",
      dedupeKey: `${kind}:1`,
      tenantId: tenant.id,
    });
    const second = await raiseAlert({ db, kind, severity: "CRITICAL", title: "two", message: "m", dedupeKey: `${kind}:2` });
    await acknowledgeAlert({ db, alertId: first.id, actor: { userId: admin.id, label: admin.email } });

    const all = await listAlerts({ db, kind });
    expect(all.total).toBe(2);
    expect(all.kinds).toContain(kind);
    const acknowledged = await listAlerts({ db, kind, status: "acknowledged" });
    expect(acknowledged.alerts).toHaveLength(1);
    expect(acknowledged.alerts[0]).toMatchObject({
      id: first.id,
      tenantName: tenant.name,
      acknowledgedBy: { id: admin.id, email: admin.email, name: "Test Admin" },
    });
    expect(acknowledged.alerts[0]!.acknowledgedAt).toBeInstanceOf(Date);
    expect((await listAlerts({ db, kind, status: "open" })).alerts.map((a) => a.id)).toEqual([second.id]);
    expect((await listAlerts({ db, kind, severity: "WARNING" })).alerts.map((a) => a.id)).toEqual([first.id]);
    expect((await listAlerts({ db, kind, tenantId: tenant.id })).alerts.map((a) => a.id)).toEqual([first.id]);

    // the same problem after acknowledging opens a new alert; the acknowledged one stays in the history
    const again = await raiseAlert({ db, kind, severity: "WARNING", title: "one", message: "m", dedupeKey: `${kind}:1` });
    expect(again.id).not.toBe(first.id);
    expect((await listAlerts({ db, kind })).total).toBe(3);
  });
});
