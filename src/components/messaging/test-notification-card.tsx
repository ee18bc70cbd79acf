"use client";

import Link from "next/link";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

export function TestNotificationCard() {
  const toast = useToast();
  const [phone, setPhone] = useState("");
  const [sent, setSent] = useState(false);
  const send = api.messages.sendTestNotification.useMutation({
    onSuccess: () => { setSent(true); toast("success", "Test notification sent. Follow it in Messages."); },
    onError: (e) => toast("error", `Not sent: ${e.message}`),
  });
  return (
    <Card title="Send a test notification to myself" description="A purchase-order notification (po_notification) to your own phone, to see what your suppliers receive.">
      <form className="flex flex-wrap items-center gap-2" onSubmit={(e) => { e.preventDefault(); send.mutate({ phone }); }}>
        <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="Your mobile, e.g. +34 612 345 678" aria-label="Your mobile number" className="w-64 rounded-md border border-stone-300 px-3 py-1.5 text-sm" required />
        <button type="submit" disabled={send.isPending} className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50">{send.isPending ? "Sending…" : "Send test"}</button>
        {sent && <Link href="/messages" className="text-sm text-brand-700 underline">See it in Messages →</Link>}
      </form>
    </Card>
  );
}
