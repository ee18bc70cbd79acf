/** A horizontal bar split into coloured parts (progress, delivery figures), each part titled with its count. */
export type BarPart = { label: string; value: number; className: string };

export function StackedBar({ parts, total, label }: { parts: BarPart[]; total: number; label: string }) {
  return (
    <div className="flex h-4 w-full overflow-hidden rounded-full bg-stone-100" aria-label={label} role="img">
      {total > 0 &&
        parts
          .filter((part) => part.value > 0)
          .map((part) => (
            <div
              key={part.label}
              className={part.className}
              style={{ width: `${(part.value / total) * 100}%` }}
              title={`${part.label}: ${part.value}`}
            />
          ))}
    </div>
  );
}
