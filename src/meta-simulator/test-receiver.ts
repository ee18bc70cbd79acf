/**
 * A minimal webhook receiver for tests and demos: records every POST with its raw bytes and headers and answers
 * with the status codes it is told to (e.g. 500 then 200, to watch the simulator retry).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedWebhook = {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  json: unknown;
  receivedAt: number;
};

export async function startWebhookReceiver(options: { statuses?: number[] } = {}) {
  const received: ReceivedWebhook[] = [];
  const statuses = [...(options.statuses ?? [])];
  const waiters = new Set<() => void>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = JSON.parse(rawBody.toString("utf8"));
      } catch {
        json = null;
      }
      received.push({ headers: req.headers, rawBody, json, receivedAt: Date.now() });
      res.writeHead(statuses.shift() ?? 200).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    /** answer the next POSTs with these statuses (then 200) */
    respondWith(...next: number[]) {
      statuses.push(...next);
    },
    /** resolves once `predicate` holds for what has been received, or rejects after `timeoutMs` */
    async waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 3000): Promise<ReceivedWebhook[]> {
      if (predicate(received)) return received;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received);
        };
        waiters.add(check);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
