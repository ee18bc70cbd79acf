"use client";

import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { useDates } from "@/components/ui/use-format";
import { api } from "@/trpc/react";

/** How much of its share of the shared account's daily limit the bakery has left (costs.shareToday). Place on the owner's Overview. */
export function ShareLeftCard() {
  const t = useTranslations("costs");
  const { dateTime } = useDates();
  const share = api.costs.shareToday.useQuery(undefined, { retry: false });
  const data = share.data;
  const pct = data?.share ? Math.min(100, Math.round((data.used / data.share) * 100)) : 0;
  return (
    <Card title={t("share.title")} description={t("share.description")}>
      {!data ? (
        <p className="text-sm text-stone-500">{t("loading")}</p>
      ) : !data.hasNumber ? (
        <p className="text-sm text-stone-600">{t("share.noNumber")}</p>
      ) : !data.onSharedAccount ? (
        <p className="text-sm text-stone-600">{t("share.ownAccount")}</p>
      ) : data.share === null ? (
        <p className="text-sm text-stone-600">{t("share.unlimited")}</p>
      ) : (
        <div className="space-y-2" data-testid="share-left-card">
          <p className="text-2xl font-semibold tabular-nums text-stone-900">
            {t("share.left", { left: data.left ?? 0, share: data.share })}
          </p>
          <div className="h-2 w-full overflow-hidden rounded-full bg-stone-100" aria-hidden>
            <div
              className={`h-full ${pct >= 90 ? "bg-red-500" : pct >= 70 ? "bg-amber-500" : "bg-emerald-500"}`}
              style={{ width: `${pct}%` }}
            />
          </div>
          <p className="text-sm text-stone-600">{t("share.used", { used: data.used })}</p>
          {data.nextSlotFreeAt && <p className="text-xs text-stone-500">{t("share.nextSlot", { when: dateTime(data.nextSlotFreeAt) })}</p>}
          {data.shareSetByAdmin && <p className="text-xs text-stone-500">{t("share.setByAdmin")}</p>}
        </div>
      )}
    </Card>
  );
}
