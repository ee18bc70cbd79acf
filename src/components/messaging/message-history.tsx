"use client";

import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { useDates } from "@/components/ui/use-format";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { MessageStatusBadge } from "@/components/messaging/status-badge";
import { languageLabel } from "@/lib/languages";
import { api } from "@/trpc/react";

/**
 * Refreshes every few seconds: statuses arrive by webhook (sent → delivered → read) while the page is open.
 * From 640 px up a table; narrower, each message is a stacked card (contact and time, then the status with why it
 * failed, then the message), so the status stays in view on a phone — the same rows, laid out by CSS.
 */
export function MessageHistory({ initialFailedOnly = false }: { initialFailedOnly?: boolean }) {
  const t = useTranslations("history");
  const ts = useTranslations("history.status");
  const { timeAgo, dateTime } = useDates();
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  // why a message failed: English readers get the server's explanation; others the line of its error code
  const failure = (m: { explanation: string | null; appErrorCode: string | null; errorCode: number | null }) => {
    if (!m.explanation) return null;
    if (locale === "en") return m.explanation;
    if (m.appErrorCode) return errorMessage({ name: "AppError", code: m.appErrorCode, details: {}, message: m.explanation });
    return m.errorCode ? t("refusedWithCode", { code: m.errorCode }) : t("refused");
  };
  const [page, setPage] = useState(1);
  const [failedOnly, setFailedOnly] = useState(initialFailedOnly);
  const messages = api.messages.list.useQuery({ page, failedOnly }, { refetchInterval: 2000 });
  const data = messages.data;
  const cell = "block px-4 py-1 sm:table-cell sm:py-2";

  return (
    <div className="space-y-4">
      <label className="flex min-h-11 items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="h-5 w-5"
          checked={failedOnly}
          onChange={(e) => {
            setFailedOnly(e.target.checked);
            setPage(1);
          }}
        />
        {t("onlyFailed")}
      </label>
      {data && data.messages.length === 0 ? (
        <EmptyState title={failedOnly ? t("nothingFailed") : t("emptyTitle")} icon="✉">
          {t("emptyText")}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          <table className="block w-full text-sm sm:table" data-testid="message-history">
            <thead className="sr-only bg-stone-50 text-left text-stone-600 sm:not-sr-only sm:table-header-group">
              <tr>
                <th className="px-4 py-2">{t("when")}</th>
                <th className="px-4 py-2">{t("contact")}</th>
                <th className="px-4 py-2">{t("message")}</th>
                <th className="px-4 py-2">{t("statusHeading")}</th>
              </tr>
            </thead>
            <tbody className="block sm:table-row-group">
              {data?.messages.map((m) => (
                <tr
                  key={m.id}
                  className="grid grid-cols-[1fr_auto] border-t border-stone-100 py-2 align-top first:border-t-0 sm:table-row sm:py-0 sm:first:border-t"
                  data-testid="message-row"
                >
                  <td
                    className={`${cell} col-start-2 row-start-1 text-right text-xs whitespace-nowrap text-stone-600 sm:text-left sm:text-sm`}
                    title={dateTime(m.createdAt)}
                  >
                    {timeAgo(m.createdAt)}
                  </td>
                  <td className={`${cell} col-start-1 row-start-1 min-w-0`}>
                    <Link
                      href={`/messages/${m.contact.id}`}
                      className="inline-flex min-h-11 items-center text-brand-700 underline sm:min-h-0"
                    >
                      {m.contact.name ?? m.contact.phoneE164}
                    </Link>
                    <div className="font-mono text-xs text-stone-600">{m.contact.phoneE164}</div>
                  </td>
                  <td className={`${cell} col-span-2 row-start-3 min-w-0 break-words`}>
                    <span className="mr-1 text-xs text-stone-600">{m.direction === "INBOUND" ? t("received") : t("sent")}</span>
                    {m.templateName ? (
                      <span>
                        <span className="font-mono text-xs">{m.templateName}</span> (
                        {m.templateLanguage ? languageLabel(m.templateLanguage) : "—"}) · {m.parameters.join(" · ")}
                      </span>
                    ) : (
                      <span>{m.body}</span>
                    )}
                  </td>
                  <td className={`${cell} col-span-2 row-start-2`}>
                    <MessageStatusBadge status={m.status} />
                    {m.statusEvents.length > 0 && (
                      <div className="mt-1 text-xs text-stone-600">
                        {m.statusEvents.map((e) => ts(`step.${e.status in stepKeys ? e.status : "OTHER"}`)).join(" → ")}
                      </div>
                    )}
                    {m.explanation && (
                      <p className="mt-1 text-xs text-red-800 sm:max-w-xs" data-testid="message-explanation">
                        {failure(m)}
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

const stepKeys = { PENDING: 1, ACCEPTED: 1, SENT: 1, DELIVERED: 1, READ: 1, FAILED: 1, RECEIVED: 1 } as const;
