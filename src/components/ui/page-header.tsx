export function PageHeader({ title, description }: { title: string; description?: string }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">{title}</h1>
      {description && <p className="mt-1 text-sm text-stone-600">{description}</p>}
    </div>
  );
}
