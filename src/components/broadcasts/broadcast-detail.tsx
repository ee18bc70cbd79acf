"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { dateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { StackedBar } from "@/components/ui/stacked-bar";
import { useToast } from "@/components/ui/toast";
import { broadcastStatusText } from "@/components/broadcasts/status";
import { failureReasonLabels } from "@/lib/broadcast-failures";
import { api } from "@/trpc/react";

export function BroadcastDetail({ broadcastId }: { broadcastId: string }) {
  const toast = useToast();
  const utils = api.useUtils();
  const progress = api.broadcasts.progress.useQuery(
    { broadcastId },
    // live while it runs; a little longer after, while delivered/read receipts still arrive
    { refetchInterval: (query) => (query.state.data && ["SENDING", "PAUSED"].includes(query.state.data.status) ? 1_000 : 5_000) },
  );
  const refresh = () => utils.broadcasts.progress.invalidate({ broadcastId });
  const onError = (error: { message: string }) => toast("error", error.message);
  const pause = api.broadcasts.pause.useMutation({ onSuccess: () => (toast("success", "Broadcast paused."), refresh()), onError });
  const resume = api.broadcasts.resume.useMutation({ onSuccess: () => (toast("success", "Broadcast resumed."), refresh()), onError });
  const cancel = api.broadcasts.cancel.useMutation({
    onSuccess: () => (toast("success", "Broadcast cancelled."), setConfirmCancel(false), refresh()),
    onError,
  });
  const [confirmCancel, setConfirmCancel] = useState(false);

  const p = progress.data;
  if (progress.error) return <p className="rounded-md bg-red-50 p-4 text-sm text-red-800">{progress.error.message}</p>;
  if (!p) return <p className="text-sm text-stone-500">Loading…</p>;
  const status = broadcastStatusText[p.status] ?? broadcastStatusText.DRAFT!;
  const done = p.sent + p.failed + p.cancelled;
  const percent = p.total ? Math.round((done / p.total) * 100) : 0;
  const sentOnly = p.sent - p.delivered;
  const deliveredOnly = p.delivered - p.read;

  return (
    <>
      <PageHeader
        title={p.name}
        description={`Template ${p.templateName} (${p.templateLanguage})${p.startedAt ? ` · started ${dateTime(p.startedAt)}` : ""}`}
      />
      <p className="mb-4 text-sm">
        <Link href="/broadcasts" className="text-emerald-800 hover:underline">
          ← All broadcasts
        </Link>
      </p>
      <div className="space-y-6">
        <Card title="Progress">
          <div className="flex items-center justify-between gap-4">
            <div className="flex items-center gap-3">
              <Badge tone={status.tone}>{status.label}</Badge>
              <span className="text-sm text-stone-600">{status.explain}</span>
            </div>
            <div className="flex gap-2">
              {p.status === "SENDING" && (
                <button
                  className="rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
                  onClick={() => pause.mutate({ broadcastId })}
                >
                  Pause
                </button>
              )}
              {p.status === "PAUSED" && (
                <button
                  className="rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
                  onClick={() => resume.mutate({ broadcastId })}
                >
                  Resume
                </button>
              )}
              {["SENDING", "PAUSED"].includes(p.status) && (
                <button
                  className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
                  onClick={() => setConfirmCancel(true)}
                >
                  Cancel
                </button>
              )}
            </div>
          </div>
          {p.stoppedReason && <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">Why: {p.stoppedReason}</p>}

          <div
            className="mt-5"
            role="progressbar"
            aria-label="Broadcast progress"
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <StackedBar
              label="Read, delivered, sent, failed and cancelled"
              total={p.total}
              parts={[
                { label: "Read", value: p.read, className: "bg-emerald-700" },
                { label: "Delivered", value: deliveredOnly, className: "bg-emerald-500" },
                { label: "Sent", value: sentOnly, className: "bg-sky-400" },
                { label: "Failed", value: p.failed, className: "bg-red-400" },
                { label: "Cancelled", value: p.cancelled, className: "bg-stone-300" },
              ]}
            />
            <p className="mt-2 text-sm text-stone-600">
              {done.toLocaleString()} of {p.total.toLocaleString()} had their turn ({percent}%)
            </p>
          </div>

          <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-6">
            {(
              [
                ["Total", p.total, "text-stone-900"],
                ["Sent", p.sent, "text-sky-700"],
                ["Delivered", p.delivered, "text-emerald-600"],
                ["Read", p.read, "text-emerald-800"],
                ["Failed", p.failed, "text-red-700"],
                ["Waiting", p.pending, "text-stone-500"],
              ] as const
            ).map(([label, value, tone]) => (
              <div key={label} className="rounded-lg border border-stone-200 bg-white p-3" data-testid={`count-${label.toLowerCase()}`}>
                <dt className="text-xs uppercase tracking-wide text-stone-500">{label}</dt>
                <dd className={`text-2xl font-semibold ${tone}`}>{value.toLocaleString()}</dd>
              </div>
            ))}
          </dl>
        </Card>

        <Card title="Summary" description="Who was left out before sending, and why sends failed.">
          <div className="grid gap-6 sm:grid-cols-2">
            <div>
              <h3 className="text-sm font-medium text-stone-800">Left out before sending</h3>
              <ul className="mt-2 text-sm text-stone-600">
                <li>Not opted in: {p.excluded.optedOut.toLocaleString()}</li>
                <li>Not on WhatsApp: {p.excluded.notOnWhatsApp.toLocaleString()}</li>
                <li>Invalid number: {p.excluded.invalid.toLocaleString()}</li>
              </ul>
            </div>
            <div>
              <h3 className="text-sm font-medium text-stone-800">Failed sends</h3>
              {Object.keys(p.failureBreakdown).length === 0 ? (
                <p className="mt-2 text-sm text-stone-600">None so far.</p>
              ) : (
                <ul className="mt-2 text-sm text-stone-600" data-testid="failure-breakdown">
                  {Object.entries(p.failureBreakdown).map(([reason, count]) => (
                    <li key={reason}>
                      {failureReasonLabels[reason] ?? reason}: {count.toLocaleString()}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
          <a
            href={`/api/broadcasts/${broadcastId}/recipients.csv`}
            className="mt-4 inline-block text-sm font-medium text-emerald-800 hover:underline"
          >
            Download the per-recipient report (CSV)
          </a>
        </Card>
      </div>
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this broadcast?"
        confirmLabel="Cancel broadcast"
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate({ broadcastId })}
        onCancel={() => setConfirmCancel(false)}
      >
        People who have not had their turn yet will not get the message. Messages already sent stay sent.
      </ConfirmDialog>
    </>
  );
}
