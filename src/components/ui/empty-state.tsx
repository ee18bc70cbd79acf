/** What will appear here, and what makes it appear: never a blank panel. */
export function EmptyState({ title, children, icon = "○" }: { title: string; children: React.ReactNode; icon?: string }) {
  return (
    <div className="rounded-xl border border-dashed border-stone-300 bg-white/60 px-6 py-10 text-center">
      <div aria-hidden className="mx-auto mb-3 flex h-10 w-10 items-center justify-center rounded-full bg-stone-100 text-lg text-stone-500">
        {icon}
      </div>
      <h3 className="text-sm font-semibold text-stone-900">{title}</h3>
      <div className="mx-auto mt-1 max-w-md text-sm text-stone-600">{children}</div>
    </div>
  );
}
