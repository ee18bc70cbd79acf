import { expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { kickWebhookProcessing } from "@/server/webhooks/process";
import { receiveWebhook } from "@/server/webhooks/receive";
import { signWebhookBody } from "@/server/whatsapp";
import type { WebhookHandler, WebhookHandlers } from "@/server/webhooks/dispatch";
import { webhookHandlers } from "@/server/wiring";

// the app's handlers, plus the probes this file adds for its own fields
const handlers: WebhookHandlers = { ...webhookHandlers };
const addProbeHandler = (field: string, handler: WebhookHandler) => void (handlers[field] = handler);

// A database of its own: draining takes every pending row, which must not take other test files' rows.
const ownDb = useOwnDatabase("recado_test_kick", 4);

const appSecret = "test-app-secret";
const deliver = (body: string) =>
  receiveWebhook({
    db: ownDb(),
    rawBody: new TextEncoder().encode(body),
    signatureHeader: signWebhookBody(body, appSecret),
    appSecret,
    source: { ip: null, userAgent: null },
  });

it("coalesces kicks from many requests into one drain that also picks up items stored while it runs", async () => {
  const seen = new Map<string, number>();
  let release!: () => void;
  const firstItemHeld = new Promise<void>((resolve) => (release = resolve));
  addProbeHandler("kick_probe", async (item) => {
    if (seen.size === 0) await firstItemHeld;
    seen.set(item.key, (seen.get(item.key) ?? 0) + 1);
  });
  const batch = (n: number) =>
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "WABA1", changes: Array.from({ length: 5 }, (_, i) => ({ field: "kick_probe", value: { n, i } })) }],
    });

  await deliver(batch(1));
  const first = kickWebhookProcessing(ownDb(), handlers);
  // while the first drain is held inside a handler, more batches arrive and kick again
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (let n = 2; n <= 4; n++) await deliver(batch(n));
  const kicks = [
    kickWebhookProcessing(ownDb(), handlers),
    kickWebhookProcessing(ownDb(), handlers),
    kickWebhookProcessing(ownDb(), handlers),
  ];
  expect(kicks.every((kick) => kick === first)).toBe(true);
  release();
  await Promise.all([first, ...kicks]);

  expect(seen.size).toBe(20);
  expect([...seen.values()].every((count) => count === 1)).toBe(true);
  expect(await ownDb().webhookItem.count({ where: { field: "kick_probe", status: "PROCESSED" } })).toBe(20);
});
