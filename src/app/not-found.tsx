import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("errors.page");
  return { title: t("notFoundHeading") };
}

export default async function NotFound() {
  const t = await getTranslations("errors.page");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold">{t("notFoundHeading")}</h1>
      <p className="mt-2 text-stone-600">{t("notFoundText")}</p>
      <Link href="/" className="mt-6 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
        {t("notFoundLink")}
      </Link>
    </main>
  );
}
