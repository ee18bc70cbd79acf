"use client";

import Link from "next/link";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { dateTime, timeAgo } from "@/components/ui/format";
import { MessageStatusBadge } from "@/components/messaging/status-badge";
import { api } from "@/trpc/react";

/** Refreshes every few seconds: statuses arrive by webhook (sent → delivered → read) while the page is open. */
export function MessageHistory({ initialFailedOnly = false }: { initialFailedOnly?: boolean }) {
  const [page, setPage] = useState(1);
  const [failedOnly, setFailedOnly] = useState(initialFailedOnly);
  const messages = api.messages.list.useQuery({ page, failedOnly }, { refetchInterval: 2000 });
  const data = messages.data;

  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={failedOnly}
          onChange={(e) => {
            setFailedOnly(e.target.checked);
            setPage(1);
          }}
        />{" "}
        Only failed messages
      </label>
      {data && data.messages.length === 0 ? (
        <EmptyState title={failedOnly ? "Nothing failed" : "No messages yet"} icon="✉">
          Messages appear here as soon as they are sent: a purchase order from your system, a test notification from Settings, or a reply in
          a conversation.
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          <table className="w-full text-sm" data-testid="message-history">
            <thead className="bg-stone-50 text-left text-stone-600">
              <tr>
                <th className="px-4 py-2">When</th>
                <th className="px-4 py-2">Contact</th>
                <th className="px-4 py-2">Message</th>
                <th className="px-4 py-2">Status</th>
              </tr>
            </thead>
            <tbody>
              {data?.messages.map((m) => (
                <tr key={m.id} className="border-t border-stone-100 align-top" data-testid="message-row">
                  <td className="px-4 py-2 whitespace-nowrap text-stone-600" title={dateTime(m.createdAt)}>
                    {timeAgo(m.createdAt)}
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/messages/${m.contact.id}`} className="text-brand-700 underline">
                      {m.contact.name ?? m.contact.phoneE164}
                    </Link>
                    <div className="font-mono text-xs text-stone-500">{m.contact.phoneE164}</div>
                  </td>
                  <td className="px-4 py-2">
                    <span className="mr-1 text-xs text-stone-500">{m.direction === "INBOUND" ? "← received" : "→ sent"}</span>
                    {m.templateName ? (
                      <span>
                        <span className="font-mono text-xs">{m.templateName}</span> ({m.templateLanguage}) · {m.parameters.join(" · ")}
                      </span>
                    ) : (
                      <span>{m.body}</span>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    <MessageStatusBadge status={m.status} />
                    {m.statusEvents.length > 0 && (
                      <div className="mt-1 text-xs text-stone-500">{m.statusEvents.map((e) => e.status.toLowerCase()).join(" → ")}</div>
                    )}
                    {m.explanation && (
                      <p className="mt-1 max-w-xs text-xs text-red-800" data-testid="message-explanation">
                        {m.explanation}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > data.pageSize && <Pager page={page} pages={Math.ceil(data.total / data.pageSize)} onPage={setPage} />}
    </div>
  );
}
