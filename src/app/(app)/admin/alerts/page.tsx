import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AlertsHistory } from "@/components/admin/alerts-panel";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("alerts.page");
  return { title: t("title") };
}

export default async function AdminAlertsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status } = await searchParams;
  const t = await getTranslations("alerts.page");
  const support = await getTranslations("settings.support.admin");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AlertsHistory initialStatus={status} />
      <p className="mt-6 text-sm">
        <Link href="/admin/support" className="text-brand-700 underline">
          {support("title")}
        </Link>
      </p>
    </>
  );
}
