/**
 * `npm run serve`: the production server. Runs the `next build` output with the environment exactly as given
 * (nothing filled in, no embedded database, no simulator). Before anything starts, the configuration is checked
 * with the production rules (src/server/env-production.ts): one line per variable that is missing, weak or a
 * development default, never its value, and exit status 2.
 * Flags: --port N (PORT or 3000), --hostname H (0.0.0.0; not read from HOSTNAME, which shells and containers set
 * to the machine's name), --check (validate and exit).
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EnvError, parseEnv } from "../src/server/env";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", default: "0.0.0.0" },
    check: { type: "boolean", default: false },
  },
});

const env = { ...process.env, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" };

try {
  parseEnv(env, { production: true });
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error("[recado] refusing to start in production:");
  for (const { name, problem } of error.problems) console.error(`[recado]   ${name}: ${problem}`);
  console.error('[recado] see README.md, "Deploying Recado".');
  process.exit(2);
}
console.log("[recado] production configuration accepted");
if (args.check) process.exit(0);

if (!existsSync(join(".next", "BUILD_ID"))) {
  console.error("[recado] no production build: run `npm run build` first");
  process.exit(1);
}

// Next's own server, in this process, behind a listener that knows the socket: like any proxy it appends the
// address the request came from to X-Forwarded-For, so the app can always tell the client (TRUSTED_PROXY_HOPS
// says how many proxies before this one to trust). Next itself only sets the header when it is absent.
Object.assign(process.env, env);
const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname: args.hostname, port: Number(args.port) });
const handle = app.getRequestHandler();
await app.prepare();
const server = createServer((req, res) => {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  const forwarded = req.headers["x-forwarded-for"];
  const chain = Array.isArray(forwarded) ? forwarded.join(", ") : forwarded;
  req.headers["x-forwarded-for"] = chain ? `${chain}, ${socketAddress}` : socketAddress;
  void handle(req, res);
});
server.listen(Number(args.port), args.hostname, () => console.log(`[recado] serving on http://${args.hostname}:${args.port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
