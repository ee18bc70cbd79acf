import Link from "next/link";
import { StackedBar } from "@/components/ui/stacked-bar";
import type { DeliveryFigures as Figures } from "@/server/messaging/figures";

const Dot = ({ className }: { className: string }) => (
  <span className={`mr-1 inline-block h-2.5 w-2.5 rounded-full align-middle ${className}`} aria-hidden />
);

/** The last days' outbound messages as a bar with how far they got, and where to look next. */
export function DeliveryFigures({ figures, messagesHref }: { figures: Figures; messagesHref?: string }) {
  const parts = [
    { label: "Read", value: figures.read, className: "bg-emerald-700", testId: "recent-read" },
    { label: "Delivered, not read yet", value: figures.delivered, className: "bg-emerald-500", testId: "recent-delivered" },
    { label: "On the way", value: figures.onTheWay, className: "bg-sky-400", testId: "recent-on-the-way" },
    { label: "Failed", value: figures.failed, className: "bg-red-400", testId: "recent-failed" },
  ];
  const failedShare = figures.total > 0 ? Math.round((figures.failed / figures.total) * 100) : 0;
  return (
    <div data-testid="recent-messages">
      <StackedBar label="Read, delivered, on the way and failed" total={figures.total} parts={parts} />
      <ul className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm text-stone-700">
        {parts.map((part) => (
          <li key={part.label} data-testid={part.testId}>
            <Dot className={part.className} /> {part.label}: {part.value.toLocaleString()}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-stone-600">
        {figures.total.toLocaleString()} messages, {failedShare}% failed.{" "}
        {messagesHref && (
          <>
            {figures.failed > 0 ? "See why each failed and what to do in " : "Every message with its status is in "}
            <Link
              className="font-medium text-brand-700 underline"
              href={figures.failed > 0 ? `${messagesHref}?status=failed` : messagesHref}
            >
              Messages
            </Link>
            .
          </>
        )}
      </p>
    </div>
  );
}
