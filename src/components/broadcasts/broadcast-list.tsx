"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { broadcastStateOf } from "@/components/broadcasts/broadcast-state";
import { api } from "@/trpc/react";

export function BroadcastList() {
  const t = useTranslations("broadcasts");
  const format = useFormatter();
  const list = api.broadcasts.list.useQuery(undefined, { refetchInterval: 5_000 });
  const scheduling = api.broadcasts.scheduling.useQuery();
  const timeZone = scheduling.data?.timeZone ?? "Europe/Madrid";
  return (
    <Card title={t("list.title")} description={t("list.description")}>
      {list.data?.length === 0 && (
        <EmptyState title={t("list.emptyTitle")} icon="✉">
          {t("list.empty")}
        </EmptyState>
      )}
      <ul className="divide-y divide-stone-100" data-testid="broadcast-list">
        {list.data?.map((b) => {
          const state = broadcastStateOf(b);
          return (
            <li key={b.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-3">
              <div className="min-w-0">
                <Link
                  href={`/broadcasts/${b.id}`}
                  className="inline-flex min-h-11 items-center font-medium text-stone-900 hover:underline sm:min-h-0"
                >
                  {b.name}
                </Link>
                <p className="break-words text-sm text-stone-600">
                  {state.key === "scheduled" && b.scheduledAt
                    ? t("list.startsAt", {
                        when: format.dateTime(new Date(b.scheduledAt), { dateStyle: "medium", timeStyle: "short", timeZone }),
                        template: b.templateName,
                      })
                    : t("list.line", { template: b.templateName, count: b.total, ago: format.relativeTime(new Date(b.createdAt)) })}
                </p>
              </div>
              <span className="self-start sm:self-center">
                <Badge tone={state.tone}>{t(`state.${state.key}`)}</Badge>
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
