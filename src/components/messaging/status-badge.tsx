import { Badge, type BadgeTone } from "@/components/ui/badge";

const look: Record<string, { tone: BadgeTone; label: string }> = {
  PENDING: { tone: "gray", label: "Sending…" },
  ACCEPTED: { tone: "gray", label: "Accepted" },
  SENT: { tone: "blue", label: "✓ Sent" },
  DELIVERED: { tone: "blue", label: "✓✓ Delivered" },
  READ: { tone: "green", label: "✓✓ Read" },
  FAILED: { tone: "red", label: "✕ Failed" },
  RECEIVED: { tone: "gray", label: "Received" },
};

export function MessageStatusBadge({ status }: { status: string }) {
  const { tone, label } = look[status] ?? { tone: "gray" as const, label: status };
  return (
    <span data-testid="message-status" data-status={status}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
