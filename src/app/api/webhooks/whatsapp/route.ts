import { after } from "next/server";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { kickWebhookProcessing } from "@/server/webhooks/process";
import { answerHandshake, receiveWebhook } from "@/server/webhooks/receive";
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
  const result = await receiveWebhook({
    db,
    rawBody: new Uint8Array(await req.arrayBuffer()),
    signatureHeader: req.headers.get("x-hub-signature-256"),
    appSecret: getEnv().META_APP_SECRET,
    source: { ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null, userAgent: req.headers.get("user-agent") },
  });
  if (result.httpStatus !== 200) return Response.json({ error: result.error }, { status: result.httpStatus });

  // Answer Meta first; the items are already stored, so if this dies the Inngest sweeper processes them.
  if (result.storedItems > 0) {
    after(() => kickWebhookProcessing(db, webhookHandlers).catch((error: Error) => console.error("webhook processing:", error.message)));
  }
  return Response.json({ received: true, stored: result.storedItems, duplicates: result.duplicateItems });
}
