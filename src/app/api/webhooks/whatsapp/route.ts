import { after } from "next/server";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { kickWebhookProcessing } from "@/server/webhooks/process";
import { answerHandshake, handleWebhookPost } from "@/server/webhooks/receive";
import { webhookHandlers } from "@/server/wiring";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  const { status, body } = answerHandshake(
    { mode: params.get("hub.mode"), verifyToken: params.get("hub.verify_token"), challenge: params.get("hub.challenge") },
    getEnv().META_WEBHOOK_VERIFY_TOKEN,
  );
  return new Response(body, { status, headers: { "content-type": "text/plain" } });
}

export async function POST(req: Request) {
  const db = getDb();
  const env = getEnv();
  const result = await handleWebhookPost({ db, req, appSecret: env.META_APP_SECRET, trustedProxyHops: env.TRUSTED_PROXY_HOPS });
  // Answer Meta first; the items are already stored, so if this dies the Inngest sweeper processes them.
  if (result.storedItems > 0) {
    after(() => kickWebhookProcessing(db, webhookHandlers).catch((error: Error) => console.error("webhook processing:", error.message)));
  }
  return Response.json(result.body, { status: result.httpStatus });
}
