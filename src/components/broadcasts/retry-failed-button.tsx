"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useAppErrorText } from "@/components/messaging/app-error-text";
import { api } from "@/trpc/react";

/**
 * "Retry failed recipients" for a finished broadcast: how many will be sent again (only temporary failures),
 * who will not be and why, and the button that starts the retry as a new broadcast. Self-contained (its own
 * queries); renders nothing while the broadcast sends or when nothing failed. Placed on /broadcasts/[id].
 */
export function RetryFailedButton({ broadcastId }: { broadcastId: string }) {
  const t = useTranslations("broadcasts.retry");
  const format = useFormatter();
  const router = useRouter();
  const toast = useToast();
  const errorText = useAppErrorText("broadcasts");
  const progress = api.broadcasts.progress.useQuery({ broadcastId });
  const finished = !!progress.data && ["COMPLETED", "CANCELLED", "STOPPED"].includes(progress.data.status);
  const plan = api.broadcasts.retryPlan.useQuery({ broadcastId }, { enabled: finished && (progress.data?.failed ?? 0) > 0 });
  const retry = api.broadcasts.retryFailed.useMutation({
    onSuccess: (started) => {
      toast("success", t("started", { count: started.total }));
      router.push(`/broadcasts/${started.id}`);
    },
    onError: (e) => toast("error", errorText(e)),
  });

  const p = plan.data;
  if (!finished || !p || p.failed === 0) return null;
  const reasons = Object.entries(p.notRetried).filter(([, n]) => (n ?? 0) > 0);
  return (
    <Card title={t("title")} description={t("description")}>
      <div className="space-y-3 text-sm" data-testid="retry-failed">
        {p.activeRetryId ? (
          <p className="text-stone-700">{t("underWay")}</p>
        ) : p.retryNow > 0 ? (
          <button
            type="button"
            disabled={retry.isPending}
            onClick={() => retry.mutate({ broadcastId, name: t("name", { name: progress.data!.name }) })}
            className="min-h-11 rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-50"
          >
            {t("button", { count: p.retryNow })}
          </button>
        ) : (
          <p className="text-stone-700">{t("nothingNow")}</p>
        )}
        {p.retryLater > 0 && p.laterFrom && (
          <p className="text-stone-700">
            {t("later", { count: p.retryLater, when: format.dateTime(new Date(p.laterFrom), { dateStyle: "medium", timeStyle: "short" }) })}
          </p>
        )}
        {reasons.length > 0 && (
          <div>
            <p className="font-medium text-stone-800">{t("notRetried")}</p>
            <ul className="mt-1 list-disc pl-5 text-stone-700">
              {reasons.map(([reason, n]) => (
                <li key={reason}>{t(`reason.${reason}`, { count: n ?? 0 })}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </Card>
  );
}
