/**
 * Processing stored webhook items. Items are claimed with FOR UPDATE SKIP LOCKED, so any number of processors
 * (the request that stored them, the Inngest sweeper, a second app instance) can run at once and each item is
 * dispatched by exactly one of them. An item whose processor died mid-way (PROCESSING for longer than
 * `staleAfterMs`) and a failed item whose backoff has passed are claimed again, up to `maxAttempts`; an item that
 * fails its last attempt is QUARANTINED with its error and the admin gets one alert (repeats bump its counter).
 */
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";
import type { StoredWebhookItem, WebhookBatchHandler, WebhookHandlers } from "@/server/webhooks/dispatch";

export const webhookProcessing = {
  batchSize: 500,
  staleAfterMs: 5 * 60_000,
  maxAttempts: 8,
  // a failed item waits 30 s, 1 min, 2 min, ... (capped at 1 h) before it is claimed again: see claimItems
};

export type ProcessSummary = { claimed: number; processed: number; ignored: number; failed: number };

type ClaimedRow = StoredWebhookItem & { attempts: number };

async function claimItems(db: Db, { eventId, limit, now }: { eventId?: string; limit: number; now: Date }): Promise<ClaimedRow[]> {
  const staleBefore = new Date(now.getTime() - webhookProcessing.staleAfterMs);
  // Failed items become claimable again once their backoff has passed; computed per row from attempts.
  return db.$queryRaw<ClaimedRow[]>`
    UPDATE "webhook_items" AS item
    SET "status" = 'PROCESSING', "claimedAt" = ${now}, "attempts" = item."attempts" + 1
    WHERE item."id" IN (
      SELECT "id" FROM "webhook_items"
      WHERE (${eventId ?? null}::text IS NULL OR "eventId" = ${eventId ?? null}::text)
        AND (
          "status" = 'PENDING'
          OR ("status" = 'PROCESSING' AND "claimedAt" < ${staleBefore})
          OR ("status" = 'FAILED' AND "attempts" < ${webhookProcessing.maxAttempts}
              AND "claimedAt" < ${now}::timestamp(3) - make_interval(secs => LEAST(30 * power(2, GREATEST("attempts" - 1, 0)), 3600)))
        )
      ORDER BY "occurredAt" ASC NULLS LAST, "createdAt" ASC
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING item."id", item."key", item."field", item."kind", item."wabaId", item."phoneNumberId",
              item."payload", item."occurredAt", item."attempts"`;
}

/** Claims up to `limit` items (of one batch, or any) and dispatches each to the handler of its field in `handlers`. */
export async function processWebhookItems({
  db,
  handlers,
  eventId,
  limit = webhookProcessing.batchSize,
  now = new Date(),
}: {
  db: Db;
  handlers: WebhookHandlers;
  eventId?: string;
  limit?: number;
  now?: Date;
}): Promise<ProcessSummary> {
  const claimed = await claimItems(db, { eventId, limit, now });
  const processed: string[] = [];
  const ignored: string[] = [];
  const failed: { id: string; error: string; attempts: number }[] = [];

  const byField = new Map<string, ClaimedRow[]>();
  for (const item of claimed) {
    const handler = Object.hasOwn(handlers, item.field) ? handlers[item.field] : undefined;
    if (!handler) {
      ignored.push(item.id);
      continue;
    }
    if (typeof handler !== "function") {
      byField.set(item.field, [...(byField.get(item.field) ?? []), item]);
      continue;
    }
    try {
      await handler(item, { db });
      processed.push(item.id);
    } catch (error) {
      failed.push({ id: item.id, error: (error as Error).message.slice(0, 1000), attempts: item.attempts });
    }
  }
  for (const [field, items] of byField) {
    const handler = handlers[field] as WebhookBatchHandler;
    let failures: { id: string; error: string }[];
    try {
      failures = await handler.batch(items, { db });
    } catch (error) {
      failures = items.map((item) => ({ id: item.id, error: (error as Error).message }));
    }
    const failedIds = new Map(failures.map((f) => [f.id, f.error]));
    for (const item of items) {
      const error = failedIds.get(item.id);
      if (error === undefined) processed.push(item.id);
      else failed.push({ id: item.id, error: error.slice(0, 1000), attempts: item.attempts });
    }
  }

  const doneAt = new Date();
  if (processed.length) {
    await db.webhookItem.updateMany({
      where: { id: { in: processed } },
      data: { status: "PROCESSED", processedAt: doneAt, lastError: null },
    });
  }
  if (ignored.length) {
    await db.webhookItem.updateMany({ where: { id: { in: ignored } }, data: { status: "IGNORED", processedAt: doneAt } });
  }
  const exhausted = failed.filter((f) => f.attempts >= webhookProcessing.maxAttempts);
  for (const { id, error, attempts } of failed) {
    await db.webhookItem.update({
      where: { id },
      data:
        attempts >= webhookProcessing.maxAttempts
          ? {
              status: "QUARANTINED",
              lastError: error,
              quarantineReason: `processing failed ${attempts} times; last error: ${error}`.slice(0, 1000),
            }
          : { status: "FAILED", lastError: error },
    });
  }
  if (exhausted.length) {
    await raiseAlert({
      db,
      kind: "webhook_item_quarantined",
      severity: "WARNING",
      title: "Webhook items failed every retry",
      message:
        `${exhausted.length} webhook item(s) could not be processed after ${webhookProcessing.maxAttempts} attempts and are in quarantine. ` +
        "Open Admin → Overview → Quarantined webhook items to read the reason and the item, and re-run it once the cause is fixed.",
      params: { count: exhausted.length, attempts: webhookProcessing.maxAttempts },
    });
  }
  if (failed.length > exhausted.length) console.error(`webhooks: ${failed.length - exhausted.length} item(s) failed and will be retried`);
  return { claimed: claimed.length, processed: processed.length, ignored: ignored.length, failed: failed.length };
}

/** Processes everything claimable, batch after batch (the sweeper; also run once at server start). */
export async function drainWebhookItems({ db, handlers, maxBatches = 20 }: { db: Db; handlers: WebhookHandlers; maxBatches?: number }) {
  const total: ProcessSummary = { claimed: 0, processed: 0, ignored: 0, failed: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const summary = await processWebhookItems({ db, handlers });
    for (const key of Object.keys(total) as (keyof ProcessSummary)[]) total[key] += summary[key];
    if (summary.claimed < webhookProcessing.batchSize) break;
  }
  return total;
}

const inFlight = new WeakMap<Db, { running: Promise<void>; again: boolean }>();

/**
 * Starts draining in the background, or — when a drain is already running in this process — asks it to go
 * round once more. Under load, many requests' items are claimed and applied together (a few queries per 500
 * items instead of per request), which is what keeps the webhook route cheap.
 */
export function kickWebhookProcessing(db: Db, handlers: WebhookHandlers): Promise<void> {
  const current = inFlight.get(db);
  if (current) {
    current.again = true;
    return current.running;
  }
  const state = { again: false, running: Promise.resolve() };
  state.running = (async () => {
    try {
      do {
        state.again = false;
        await drainWebhookItems({ db, handlers });
      } while (state.again);
    } finally {
      inFlight.delete(db);
    }
  })();
  inFlight.set(db, state);
  return state.running;
}
