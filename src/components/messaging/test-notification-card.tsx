"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { useDates } from "@/components/ui/use-format";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

/** The test goes only to the owner's own number, kept on their profile; it is not a contact and leaves no message. */
export function TestNotificationCard() {
  const t = useTranslations("testNotification");
  const { dateTime } = useDates();
  const errorMessage = useErrorMessage();
  const toast = useToast();
  const utils = api.useUtils();
  const me = api.account.me.useQuery();
  // what the owner typed, else the number kept on the profile
  const [typed, setPhone] = useState<string | null>(null);
  const phone = typed ?? me.data?.notificationPhone ?? "";
  const send = api.messages.sendTestNotification.useMutation({
    onSuccess: (r) => {
      toast("success", t("sent", { phone: r.to }));
      void utils.account.me.invalidate();
    },
    onError: (e) => toast("error", t("notSent", { reason: errorMessage(e) })),
  });
  const confirmedAt = me.data?.notificationPhoneConfirmedAt;
  return (
    <Card title={t("title")} description={t("description")}>
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
          placeholder={t("placeholder")}
          aria-label={t("phoneLabel")}
          type="tel"
          autoComplete="tel"
          className="min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5 text-sm sm:min-h-0 sm:w-64"
          required
        />
        <button
          type="submit"
          disabled={send.isPending}
          className="min-h-11 rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50 sm:min-h-0"
        >
          {send.isPending ? t("sending") : t("send")}
        </button>
      </form>
      {me.data?.notificationPhone && (
        <p className="mt-2 text-sm text-stone-600" data-testid="notification-phone">
          {t("yourNumber")} <span className="font-mono">{me.data.notificationPhone}</span>
          {confirmedAt ? ` · ${t("confirmed", { when: dateTime(confirmedAt) })}` : ` · ${t("notConfirmed")}`}
        </p>
      )}
      {send.data && (
        <p className="mt-1 text-sm text-emerald-800" data-testid="test-notification-sent">
          {t("accepted", { phone: send.data.to })}
        </p>
      )}
    </Card>
  );
}
