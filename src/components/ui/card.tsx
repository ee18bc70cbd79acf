export function Card({
  title,
  description,
  children,
  className = "",
}: {
  title?: string;
  description?: string;
  children?: React.ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-xl border border-stone-200 bg-white p-5 shadow-sm ${className}`}>
      {title && <h2 className="text-base font-semibold text-stone-900">{title}</h2>}
      {description && <p className="mt-1 text-sm text-stone-600">{description}</p>}
      {children && <div className={title || description ? "mt-4" : ""}>{children}</div>}
    </section>
  );
}
