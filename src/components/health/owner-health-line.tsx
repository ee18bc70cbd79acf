"use client";

import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { api } from "@/trpc/react";

const tones: Record<string, BadgeTone> = { ok: "green", limited: "yellow", action: "red", none: "gray" };

/** The owner's one line about their own number: connected / limited / action needed, and what that means. */
export function OwnerHealthLine() {
  const line = api.health.mine.useQuery(undefined, { refetchInterval: 60_000 });
  if (!line.data) return null;
  if (line.data.level === "none") {
    return (
      <Link href="/settings/whatsapp/connect" className="text-sm text-brand-700 underline">
        Or connect your bakery&apos;s own WhatsApp account
      </Link>
    );
  }
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-stone-700" data-testid="owner-health-line" data-level={line.data.level}>
      <Badge tone={tones[line.data.level]}>{line.data.text}</Badge>
      <span>{line.data.detail}</span>
      {line.data.level === "action" && (
        <Link href="/settings/whatsapp/connect" className="font-medium text-brand-700 underline">
          Reconnect
        </Link>
      )}
    </p>
  );
}
