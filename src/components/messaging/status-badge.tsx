import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tones: Record<string, BadgeTone> = {
  PENDING: "gray",
  ACCEPTED: "gray",
  SENT: "blue",
  DELIVERED: "blue",
  READ: "green",
  FAILED: "red",
  RECEIVED: "gray",
};

/** A message's status in plain words (messages/<locale>/history.json); one we do not know reads "Unknown". */
export function MessageStatusBadge({ status }: { status: string }) {
  const t = useTranslations("history.status");
  const key = status in tones ? status : "UNKNOWN";
  return (
    <span data-testid="message-status" data-status={status}>
      <Badge tone={tones[key] ?? "gray"}>{t(key)}</Badge>
    </span>
  );
}
