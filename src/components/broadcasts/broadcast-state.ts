import type { BadgeTone } from "@/components/ui/badge";

export type BroadcastStateKey = "draft" | "scheduled" | "scheduleRefused" | "sending" | "paused" | "completed" | "cancelled" | "stopped";

const tones: Record<BroadcastStateKey, BadgeTone> = {
  draft: "gray",
  scheduled: "blue",
  scheduleRefused: "red",
  sending: "blue",
  paused: "yellow",
  completed: "green",
  cancelled: "gray",
  stopped: "red",
};

/** What a broadcast is doing in plain words (the keys of "state" in messages/<locale>/broadcasts.json). */
export function broadcastStateOf(b: { status: string; scheduledAt: Date | string | null; stoppedReason: string | null }) {
  const key: BroadcastStateKey =
    b.status === "DRAFT"
      ? b.scheduledAt
        ? "scheduled"
        : b.stoppedReason?.startsWith("scheduled_start_refused:")
          ? "scheduleRefused"
          : "draft"
      : ((
          { SENDING: "sending", PAUSED: "paused", COMPLETED: "completed", CANCELLED: "cancelled", STOPPED: "stopped" } as Record<
            string,
            BroadcastStateKey
          >
        )[b.status] ?? "draft");
  return { key, tone: tones[key] };
}
