import Link from "next/link";

export const metadata = { title: "Not available" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const { from } = await searchParams;
  const adminPage = from?.startsWith("/admin");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold" data-testid="forbidden-title">
        This page is not available to you
      </h1>
      <p className="mt-2 text-stone-600">
        {adminPage
          ? "It is for platform admins. Bakery owners manage their bakery from their own pages."
          : "It belongs to a bakery owner's account. Platform admins manage bakeries from the admin pages."}
      </p>
      <Link href="/" className="mt-6 inline-flex w-fit rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        Go to my pages
      </Link>
    </main>
  );
}
