"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/components/ui/format";
import { broadcastStatusText } from "@/components/broadcasts/status";
import { api } from "@/trpc/react";

export function BroadcastList() {
  const list = api.broadcasts.list.useQuery(undefined, { refetchInterval: 5_000 });
  return (
    <Card title="Your broadcasts" description="The latest 50, newest first.">
      {list.data?.length === 0 && (
        <EmptyState title="No broadcasts yet" icon="✉">
          Broadcasts you start appear here with how many people they reached.
        </EmptyState>
      )}
      <ul className="divide-y divide-stone-100">
        {list.data?.map((b) => {
          const status = broadcastStatusText[b.status] ?? broadcastStatusText.DRAFT!;
          return (
            <li key={b.id} className="flex items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <Link href={`/broadcasts/${b.id}`} className="font-medium text-stone-900 hover:underline">
                  {b.name}
                </Link>
                <p className="text-sm text-stone-500">
                  {b.templateName} · {b.total.toLocaleString()} recipients · {timeAgo(b.createdAt)}
                </p>
              </div>
              <Badge tone={status.tone}>{status.label}</Badge>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
