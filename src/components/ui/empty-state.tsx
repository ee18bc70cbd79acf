/**
 * What will appear here, and what makes it appear: never a blank panel. Its title is an h2 by default, which keeps
 * the heading order right under a page's h1 or a card's h2 (axe: heading-order); pass 3 inside an h2 section.
 */
export function EmptyState({
  title,
  children,
  icon = "○",
  level = 2,
}: {
  title: string;
  children: React.ReactNode;
  icon?: string;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <div className="rounded-xl border border-dashed border-stone-300 bg-white/60 px-6 py-10 text-center">
      <div aria-hidden className="mx-auto mb-3 flex h-10 w-10 items-center justify-center rounded-full bg-stone-100 text-lg text-stone-600">
        {icon}
      </div>
      <Heading className="text-sm font-semibold text-stone-900">{title}</Heading>
      <div className="mx-auto mt-1 max-w-md text-sm text-stone-600">{children}</div>
    </div>
  );
}
