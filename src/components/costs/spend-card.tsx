"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { api } from "@/trpc/react";

/** The owner's WhatsApp spend this month (costs.monthSpend): total, cap and per category. Place on the owner's Overview. */
export function SpendCard() {
  const t = useTranslations("costs");
  const format = useFormatter();
  // "2026-12" (the ledger's UTC month) as the reader says it: "diciembre de 2026"
  const monthName = (month: string) => format.dateTime(new Date(`${month}-15T12:00:00Z`), { month: "long", year: "numeric" });
  const spend = api.costs.monthSpend.useQuery(undefined, { retry: false });
  const data = spend.data;
  return (
    <Card title={t("spend.title")} description={data ? t("spend.description", { month: monthName(data.month) }) : undefined}>
      {!data ? (
        <p className="text-sm text-stone-500">{t("loading")}</p>
      ) : (
        <div className="space-y-2" data-testid="spend-card">
          <p className="text-sm text-stone-600">{t("spend.total")}</p>
          <p className="text-2xl font-semibold tabular-nums text-stone-900">
            {(data.total.micros / 1_000_000).toFixed(2)}{" "}
            <span className="text-base font-normal text-stone-500">{data.total.currency ?? ""}</span>
          </p>
          <p className="text-sm text-stone-600">
            {data.cap
              ? t("spend.cap", { cap: (data.cap.micros / 1_000_000).toFixed(2), currency: data.cap.currency ?? "" })
              : t("spend.noCap")}
          </p>
          {data.capReached && <p className="rounded-md bg-red-50 p-2 text-sm text-red-800">{t("spend.capReached")}</p>}
          <ul className="space-y-1 text-sm text-stone-700">
            {data.byCategory.map((c) => (
              <li key={c.category} className="flex flex-wrap justify-between gap-2">
                <span>{t("spend.category", { category: c.category, count: c.messages })}</span>
                <span className="tabular-nums">{(c.cost.micros / 1_000_000).toFixed(2)}</span>
              </li>
            ))}
          </ul>
          {data.unpriced > 0 && <p className="text-xs text-stone-500">{t("spend.unpriced", { count: data.unpriced })}</p>}
        </div>
      )}
    </Card>
  );
}
