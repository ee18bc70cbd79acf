import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const qualityTone: Record<string, BadgeTone> = { GREEN: "green", YELLOW: "yellow", RED: "red", UNRATED: "gray" };

/** A number's quality rating in plain words, its meaning on hover (messages/<locale>/ui.json). */
export function QualityBadge({ rating }: { rating: string }) {
  const t = useTranslations("ui.quality");
  const key = rating in qualityTone ? rating : "UNRATED";
  return (
    <span title={t(`${key}.meaning`)} data-testid="quality-badge">
      <Badge tone={qualityTone[key]}>{t(`${key}.label`)}</Badge>
    </span>
  );
}

const statusTone: Record<string, BadgeTone> = {
  CONNECTED: "green",
  PENDING: "yellow",
  FLAGGED: "yellow",
  RESTRICTED: "red",
  RATE_LIMITED: "yellow",
  BANNED: "red",
  DISCONNECTED: "red",
};

/** A number's status from Meta in plain words; one we do not know yet reads "Unknown", never the raw value. */
export function NumberStatusBadge({ value }: { value: string | null }) {
  const t = useTranslations("ui.numberStatus");
  const key = value && value in statusTone ? value : "UNKNOWN";
  return <Badge tone={statusTone[key] ?? "gray"}>{t(key)}</Badge>;
}
