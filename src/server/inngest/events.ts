/**
 * Events Recado sends to Inngest, and a sender that never breaks the caller: when no Inngest server is
 * reachable (offline machines, a dev server not started) the event is not lost work — the health cron finds
 * every unfinished number again and starts its retry — so the caller is told and carries on.
 */
import { inngest } from "@/server/inngest/client";

export const events = {
  numberHealthCheck: "recado/number.health.check",
  registrationRetry: "recado/registration.retry",
} as const;

export async function sendEventSafely(event: { name: string; data: Record<string, unknown>; id?: string }): Promise<boolean> {
  try {
    await inngest.send(event);
    return true;
  } catch (error) {
    console.warn(`[inngest] could not send ${event.name}; the scheduled health check will pick the work up again: ${(error as Error).message.slice(0, 200)}`);
    return false;
  }
}
