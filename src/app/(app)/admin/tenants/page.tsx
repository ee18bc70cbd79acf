import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TenantsTable } from "@/components/admin/tenants-table";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.tenants");
  return { title: t("pageTitle") };
}

export default async function AdminTenantsPage() {
  const t = await getTranslations("admin.tenants");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} />
      <TenantsTable />
    </>
  );
}
