import { Badge, type BadgeTone } from "@/components/ui/badge";

const quality: Record<string, { tone: BadgeTone; label: string; meaning: string }> = {
  GREEN: { tone: "green", label: "Green", meaning: "High quality: recipients are happy with these messages." },
  YELLOW: { tone: "yellow", label: "Yellow", meaning: "Medium quality: recipients block or report some messages. Review templates." },
  RED: { tone: "red", label: "Red", meaning: "Low quality: templates may be paused. Act now." },
  UNRATED: { tone: "gray", label: "Not yet rated", meaning: "Meta has not rated this number yet." },
};

export function QualityBadge({ rating }: { rating: string }) {
  const q = quality[rating] ?? quality.UNRATED!;
  return (
    <span title={q.meaning} data-testid="quality-badge">
      <Badge tone={q.tone}>{q.label}</Badge>
    </span>
  );
}

const status: Record<string, { tone: BadgeTone; label: string }> = {
  CONNECTED: { tone: "green", label: "Connected" },
  PENDING: { tone: "yellow", label: "Pending registration" },
  FLAGGED: { tone: "yellow", label: "Flagged" },
  RESTRICTED: { tone: "red", label: "Restricted" },
  RATE_LIMITED: { tone: "yellow", label: "Rate limited" },
  BANNED: { tone: "red", label: "Banned" },
  DISCONNECTED: { tone: "red", label: "Disconnected" },
};

export function NumberStatusBadge({ value }: { value: string | null }) {
  const s = (value && status[value]) || { tone: "gray" as const, label: value ?? "Unknown" };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
