import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("errors.page");
  return { title: t("forbiddenTitle") };
}

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const { from } = await searchParams;
  const t = await getTranslations("errors.page");
  const adminPage = from?.startsWith("/admin");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold" data-testid="forbidden-title">
        {t("forbiddenHeading")}
      </h1>
      <p className="mt-2 text-stone-600">{adminPage ? t("forbiddenAdminPage") : t("forbiddenOwnerPage")}</p>
      <Link
        href="/"
        className="mt-6 inline-flex min-h-11 w-fit items-center rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        {t("forbiddenLink")}
      </Link>
    </main>
  );
}
