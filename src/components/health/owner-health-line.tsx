"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { api } from "@/trpc/react";

const tones: Record<string, BadgeTone> = { ok: "green", limited: "yellow", action: "red", none: "gray" };
const reasonKey = {
  none: "none",
  reconnect: "reconnectNeeded",
  stopped: "stopped",
  settingUp: "settingUp",
  limited: "limited",
  ok: "ok",
} as const;

/** The owner's one line about their own number: connected / limited / action needed, and what that means. */
export function OwnerHealthLine() {
  const t = useTranslations("health.owner");
  const line = api.health.mine.useQuery(undefined, { refetchInterval: 60_000 });
  if (!line.data) return null;
  if (line.data.level === "none") {
    return (
      <Link href="/settings/whatsapp/connect" className="text-sm text-brand-700 underline">
        {t("connectOwn")}
      </Link>
    );
  }
  const key = reasonKey[line.data.reason];
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-stone-800" data-testid="owner-health-line" data-level={line.data.level}>
      <Badge tone={tones[line.data.level]}>{t(`${key}.text`)}</Badge>
      <span>{t(`${key}.detail`)}</span>
      {line.data.level === "action" && (
        <Link href="/settings/whatsapp/connect" className="font-medium text-brand-700 underline">
          {t("reconnect")}
        </Link>
      )}
    </p>
  );
}
