/**
 * Delivering webhooks the way Meta does (Meta: webhooks/create-webhook-endpoint): POST to the callback, JSON serialised
 * Meta-style (escaped unicode and slashes), signed with X-Hub-Signature-256 over the exact bytes sent,
 * retried on any non-2xx with backoff, at-least-once (duplicate mode) and unordered (out-of-order mode).
 */
import { createHmac } from "node:crypto";
import { metaJson } from "./meta-json";
import type { TaskTracker } from "./tasks";

export type WebhookMode = "normal" | "duplicate" | "out_of_order";

export type WebhookRetry = { maxAttempts: number; baseDelayMs: number; timeoutMs: number };

export type WebhookAttempt = { at: number; httpStatus: number | null; error: string | null };

export type WebhookDelivery = {
  id: number;
  url: string | null;
  fields: string[];
  body: string;
  signature: string;
  state: "pending" | "delivered" | "failed" | "skipped";
  skippedReason: string | null;
  /** the second copy of a delivery in duplicate mode */
  duplicate: boolean;
  createdAt: number;
  attempts: WebhookAttempt[];
};

export type WebhookTarget = { url: string | null; skippedReason?: string };

const maxLoggedDeliveries = 10_000;

export function signBody(body: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

function fieldsOf(payload: unknown): string[] {
  const entries = (payload as { entry?: { changes?: { field?: unknown }[] }[] } | null)?.entry;
  if (!Array.isArray(entries)) return [];
  return [...new Set(entries.flatMap((e) => (Array.isArray(e.changes) ? e.changes.map((c) => String(c.field)) : [])))];
}

export class WebhookDispatcher {
  private deliveries: WebhookDelivery[] = [];
  private nextId = 1;

  constructor(
    private readonly deps: {
      tasks: TaskTracker;
      now: () => number;
      appSecret: () => string;
      retry: () => WebhookRetry;
      mode: () => WebhookMode;
    },
  ) {}

  list(): readonly WebhookDelivery[] {
    return this.deliveries;
  }

  clear(): void {
    this.deliveries = [];
    this.nextId = 1;
  }

  /**
   * Sends payloads one after the other in the given order (each waits for the previous to be answered or to give
   * up). That is how out-of-order mode makes a receiver see `read` before `sent`.
   */
  sendInOrder(target: WebhookTarget, payloads: unknown[]): WebhookDelivery[] {
    const records = payloads.map((payload) => this.record(target, metaJson(payload), fieldsOf(payload)));
    const stillCurrent = this.deps.tasks.current();
    this.deps.tasks.run(async () => {
      for (const record of records) {
        if (!stillCurrent()) return;
        await this.deliverWithCopies(record);
      }
    });
    return records;
  }

  /** Delivers (with retries and copies) before resolving: for sequences that must stay in order. */
  async sendAndWait(target: WebhookTarget, payload: unknown): Promise<WebhookDelivery> {
    const record = this.record(target, metaJson(payload), fieldsOf(payload));
    await this.deliverWithCopies(record);
    return record;
  }

  send(target: WebhookTarget, payload: unknown): WebhookDelivery {
    return this.sendRaw(target, metaJson(payload), fieldsOf(payload));
  }

  /** Exactly these bytes (e.g. a test's hand-made body), signed as they are. */
  sendRaw(target: WebhookTarget, body: string, fields: string[] = []): WebhookDelivery {
    const record = this.record(target, body, fields.length > 0 ? fields : this.fieldsFromText(body));
    this.deps.tasks.run(() => this.deliverWithCopies(record));
    return record;
  }

  private fieldsFromText(body: string): string[] {
    try {
      return fieldsOf(JSON.parse(body));
    } catch {
      return [];
    }
  }

  private record(target: WebhookTarget, body: string, fields: string[], duplicate = false): WebhookDelivery {
    const record: WebhookDelivery = {
      id: this.nextId++,
      url: target.url,
      fields,
      body,
      signature: signBody(body, this.deps.appSecret()),
      state: target.url ? "pending" : "skipped",
      skippedReason: target.url ? null : (target.skippedReason ?? "no webhook URL configured"),
      duplicate,
      createdAt: this.deps.now(),
      attempts: [],
    };
    this.deliveries.push(record);
    if (this.deliveries.length > maxLoggedDeliveries) this.deliveries.splice(0, this.deliveries.length - maxLoggedDeliveries);
    return record;
  }

  private async deliverWithCopies(record: WebhookDelivery): Promise<void> {
    await this.deliver(record);
    // Exactly-once is not guaranteed (Meta: webhooks/create-webhook-endpoint): in duplicate mode every payload is delivered a second time.
    if (this.deps.mode() === "duplicate" && record.url) {
      const copy = this.record({ url: record.url }, record.body, record.fields, true);
      await this.deliver(copy);
    }
  }

  private async deliver(record: WebhookDelivery): Promise<void> {
    if (!record.url) return;
    const stillCurrent = this.deps.tasks.current();
    const { maxAttempts, baseDelayMs, timeoutMs } = this.deps.retry();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (!stillCurrent()) return;
      const at = this.deps.now();
      try {
        const response = await fetch(record.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "facebookexternalua",
            "x-hub-signature-256": record.signature,
          },
          body: record.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        record.attempts.push({ at, httpStatus: response.status, error: null });
        if (response.ok) {
          record.state = "delivered";
          return;
        }
      } catch (error) {
        record.attempts.push({ at, httpStatus: null, error: error instanceof Error ? error.message : String(error) });
      }
      // Meta retries "immediately, then with decreasing frequency" for up to 7 days (Meta: webhooks/create-webhook-endpoint); the simulator keeps
      // the shape (exponential) but bounds it so tests and demos stay quick.
      if (attempt < maxAttempts && !(await this.deps.tasks.sleep(baseDelayMs * 2 ** (attempt - 1)))) return;
    }
    record.state = "failed";
  }
}
