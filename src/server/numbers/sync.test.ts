import { describe, expect, it } from "vitest";
import { getGraphClient } from "@/server/accounts/graph";
import { listMasterPhoneNumbers } from "@/server/numbers/queries";
import { syncMasterPhoneNumbers } from "@/server/numbers/sync";
import { useOwnDatabase } from "@/test/own-database";

const masterWabaId = "102290129340398";
// A database of its own: the counts below are of the shared account's rows, which other files add to.
const ownDb = useOwnDatabase("recado_test_sync");

describe("refreshing the shared account's numbers from the Graph API (simulator over HTTP)", () => {
  it("stores every number with its quality, status and provisioning fields, and updates them on the next refresh", async () => {
    const db = ownDb();
    const first = await syncMasterPhoneNumbers({ db, graph: getGraphClient(), wabaId: masterWabaId });
    // the simulator's four seeded numbers, plus any a test file running at the same time added to the shared account
    // (their ids start with 97: src/test/messaging-world.ts uniqueGraphId)
    const seeded = { metaPhoneNumberId: { not: { startsWith: "97" } }, businessAccount: { wabaId: masterWabaId } };
    expect(first.synced).toBeGreaterThanOrEqual(4);
    expect(await db.phoneNumber.count({ where: seeded })).toBe(4);

    const { numbers, lastRefreshedAt } = await listMasterPhoneNumbers({ db });
    expect(lastRefreshedAt?.getTime()).toBe(first.refreshedAt.getTime());
    const byDisplay = new Map(numbers.map((n) => [n.displayPhoneNumber, n]));
    expect(byDisplay.get("+34 612 345 678")).toMatchObject({
      verifiedName: "Bakery Platform",
      qualityRating: "GREEN",
      status: "CONNECTED",
      platformType: "CLOUD_API",
      warnings: [],
    });
    expect(byDisplay.get("+34 612 345 680")).toMatchObject({ verifiedName: "Bakery Notifications", qualityRating: "YELLOW" });
    const pending = byDisplay.get("+34 612 345 681");
    expect(pending).toMatchObject({ qualityRating: "UNRATED", status: "PENDING", platformType: "NOT_APPLICABLE" });
    expect(pending?.warnings[0]).toContain("not registered with the Cloud API yet");

    const again = await syncMasterPhoneNumbers({ db, graph: getGraphClient(), wabaId: masterWabaId });
    expect(again.synced).toBeGreaterThanOrEqual(4);
    expect(await db.phoneNumber.count({ where: seeded })).toBe(4);
  });
});
