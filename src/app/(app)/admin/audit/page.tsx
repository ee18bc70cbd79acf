import { getTranslations } from "next-intl/server";
import { AuditTable } from "@/components/admin/audit-table";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("metaTitle") };
}

export default async function AdminAuditPage() {
  const t = await getTranslations("audit");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AuditTable />
    </>
  );
}
