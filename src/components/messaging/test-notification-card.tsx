"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import { dateTime } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/** The test goes only to the owner's own number, kept on their profile; it is not a contact and leaves no message. */
export function TestNotificationCard() {
  const toast = useToast();
  const utils = api.useUtils();
  const me = api.account.me.useQuery();
  // what the owner typed, else the number kept on the profile
  const [typed, setPhone] = useState<string | null>(null);
  const phone = typed ?? me.data?.notificationPhone ?? "";
  const send = api.messages.sendTestNotification.useMutation({
    onSuccess: (r) => {
      toast("success", `Test notification sent to ${r.to}.`);
      void utils.account.me.invalidate();
    },
    onError: (e) => toast("error", `Not sent: ${e.message}`),
  });
  const confirmedAt = me.data?.notificationPhoneConfirmedAt;
  return (
    <Card
      title="Send a test notification to myself"
      description="A purchase-order notification (po_notification) to your own phone, to see what your suppliers receive. Your number is kept on your profile; it is not added to your contacts."
    >
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate({ phone });
        }}
      >
        <input
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          placeholder="Your mobile, e.g. +34 612 345 678"
          aria-label="Your mobile number"
          className="w-64 rounded-md border border-stone-300 px-3 py-1.5 text-sm"
          required
        />
        <button
          type="submit"
          disabled={send.isPending}
          className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          {send.isPending ? "Sending…" : "Send test"}
        </button>
      </form>
      {me.data?.notificationPhone && (
        <p className="mt-2 text-sm text-stone-600" data-testid="notification-phone">
          Your number: <span className="font-mono">{me.data.notificationPhone}</span>
          {confirmedAt ? ` · confirmed by a test on ${dateTime(confirmedAt)}` : " · not confirmed yet: send a test"}
        </p>
      )}
      {send.data && (
        <p className="mt-1 text-sm text-emerald-800" data-testid="test-notification-sent">
          Accepted by WhatsApp for {send.data.to}: check your phone.
        </p>
      )}
    </Card>
  );
}
