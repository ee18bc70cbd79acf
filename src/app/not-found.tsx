import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-stone-600">The address may be mistyped, or the page has moved.</p>
      <Link href="/" className="mt-6 text-sm font-medium text-brand-700 underline">
        Back to Recado
      </Link>
    </main>
  );
}
