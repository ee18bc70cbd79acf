import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { StackedBar } from "@/components/ui/stacked-bar";
import type { DeliveryFigures as Figures } from "@/server/messaging/figures";

const Dot = ({ className }: { className: string }) => (
  <span className={`mr-1 inline-block h-2.5 w-2.5 rounded-full align-middle ${className}`} aria-hidden />
);

/** The last days' outbound messages as a bar with how far they got, and where to look next. */
export function DeliveryFigures({ figures, messagesHref }: { figures: Figures; messagesHref?: string }) {
  const t = useTranslations("ops.figures");
  const format = useFormatter();
  const parts = [
    { key: "read", value: figures.read, className: "bg-emerald-700", testId: "recent-read" },
    { key: "delivered", value: figures.delivered, className: "bg-emerald-500", testId: "recent-delivered" },
    { key: "onTheWay", value: figures.onTheWay, className: "bg-sky-400", testId: "recent-on-the-way" },
    { key: "failed", value: figures.failed, className: "bg-red-400", testId: "recent-failed" },
  ].map((part) => ({ ...part, label: t(`part.${part.key}`) }));
  const failedShare = figures.total > 0 ? figures.failed / figures.total : 0;
  return (
    <div data-testid="recent-messages">
      <StackedBar label={t("barLabel")} total={figures.total} parts={parts} />
      <ul className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm text-stone-700 sm:grid-cols-2">
        {parts.map((part) => (
          <li key={part.key} data-testid={part.testId}>
            <Dot className={part.className} /> {part.label}: {format.number(part.value)}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-stone-600">
        {t("total", { count: figures.total, failed: format.number(failedShare, { style: "percent", maximumFractionDigits: 0 }) })}{" "}
        {messagesHref &&
          t.rich(figures.failed > 0 ? "seeFailed" : "seeAll", {
            link: (chunks) => (
              <Link
                className="font-medium text-brand-700 underline"
                href={figures.failed > 0 ? `${messagesHref}?status=failed` : messagesHref}
              >
                {chunks}
              </Link>
            ),
          })}
      </p>
    </div>
  );
}
