import { getTranslations } from "next-intl/server";
import { AdminCosts } from "@/components/costs/admin-costs";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("nav");
  return { title: t("item.costs") };
}

export default async function AdminCostsPage() {
  const t = await getTranslations("nav");
  return (
    <>
      <PageHeader title={t("item.costs")} description={t("page.costs")} />
      <AdminCosts />
    </>
  );
}
