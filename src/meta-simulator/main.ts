/**
 * `npm run sim`: the Meta Graph API simulator on its own.
 *   SIM_PORT (4010), SIM_HOST (127.0.0.1), META_APP_SECRET (dev-app-secret, signs webhooks),
 *   SIM_WEBHOOK_URL (http://127.0.0.1:3000/api/webhooks/whatsapp), META_ACCESS_TOKEN (sim-master-token),
 *   SIM_SEED (1), SIM_TEMPLATE_REVIEW_MS (10000; "off" keeps new templates PENDING), SIM_LOG=1 logs every Graph call.
 */
import { simulatorDefaults } from "./defaults";
import { createMetaSimulator } from "./server";

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`[meta-simulator] ${name} must be a number, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const reviewRaw = process.env.SIM_TEMPLATE_REVIEW_MS;
const simulator = createMetaSimulator({
  appSecret: process.env.META_APP_SECRET || simulatorDefaults.appSecret,
  webhookUrl: process.env.SIM_WEBHOOK_URL || simulatorDefaults.webhookUrl,
  accessTokens: [process.env.META_ACCESS_TOKEN || simulatorDefaults.masterAccessToken],
  appId: process.env.META_APP_ID || simulatorDefaults.appId,
  seed: numberFromEnv("SIM_SEED", simulatorDefaults.seed),
  templateReviewMs: reviewRaw === "off" ? null : numberFromEnv("SIM_TEMPLATE_REVIEW_MS", 10_000),
  log: process.env.SIM_LOG === "1" ? (line) => console.log(`[meta-simulator] ${line}`) : false,
});

const { url } = await simulator.listen(numberFromEnv("SIM_PORT", simulatorDefaults.port), process.env.SIM_HOST || simulatorDefaults.host);
console.log(`[meta-simulator] Graph API on ${url}/${simulatorDefaults.apiVersion}, control API on ${url}/__sim`);
console.log(`[meta-simulator] webhooks to ${process.env.SIM_WEBHOOK_URL || simulatorDefaults.webhookUrl}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[meta-simulator] ${signal}: shutting down`);
  await simulator.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
