import { InngestTestEngine } from "@inngest/test";
import { describe, expect, inject, it } from "vitest";
import { inngestFunctionFor } from "@/server/inngest/provider";
import { syncTemplatesJob } from "@/server/templates/jobs";
import { testDb } from "@/test/db";
import { createSendingTenant, resetSharedSimulatorAfterAll, simMasterWabaId } from "@/test/messaging-world";

const simulatorUrl = inject("simulatorUrl");
resetSharedSimulatorAfterAll(simulatorUrl);

describe("sync-templates (Inngest, real function code)", () => {
  it("re-reads every template of each account that has numbers, and picks up a status changed on Meta's side", async () => {
    const db = testDb();
    const { account, control } = await createSendingTenant(db, simulatorUrl);
    await control.createTemplate({
      name: "weekly_offer",
      language: "es",
      status: "REJECTED",
      rejectedReason: "PROMOTIONAL",
      bodyText: "Esta semana {{1}}",
    } as never);
    const engine = new InngestTestEngine({ function: inngestFunctionFor(syncTemplatesJob) });
    const { result } = await engine.execute();
    expect(result).toEqual(expect.arrayContaining([expect.objectContaining({ wabaId: simMasterWabaId, synced: expect.any(Number) })]));
    const offer = await db.messageTemplate.findUniqueOrThrow({
      where: { businessAccountId_name_language: { businessAccountId: account.id, name: "weekly_offer", language: "es" } },
    });
    expect(offer).toMatchObject({ status: "REJECTED", rejectedReason: "PROMOTIONAL", parameterNames: ["1"] });
  });
});
