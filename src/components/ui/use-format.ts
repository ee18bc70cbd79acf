import { useFormatter, useNow, useTranslations } from "next-intl";
import { useCallback } from "react";

/**
 * Times in the reader's language and the app's time zone (src/i18n/request.ts): `timeAgo` ("hace 3 minutos",
 * "never" for none) for times people glance at, `dateTime` ("2 dic 2026, 17:05") for exact ones.
 */
export function useDates() {
  const format = useFormatter();
  const t = useTranslations("common");
  // re-rendered once a minute, so "a minute ago" moves on while a page stays open
  const now = useNow({ updateInterval: 60_000 });
  const timeAgo = useCallback(
    (date: Date | string | null | undefined) => (date ? format.relativeTime(new Date(date), now) : t("never")),
    [format, now, t],
  );
  const dateTime = useCallback(
    (date: Date | string) => format.dateTime(new Date(date), { dateStyle: "medium", timeStyle: "short" }),
    [format],
  );
  return { timeAgo, dateTime };
}
