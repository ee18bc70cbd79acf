import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NumbersTable } from "@/components/admin/numbers-table";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.numbers");
  return { title: t("pageTitle") };
}

export default async function AdminNumbersPage() {
  const t = await getTranslations("admin.numbers");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} />
      <NumbersTable />
    </>
  );
}
