import { getTranslations } from "next-intl/server";
import { TemplatesView } from "@/components/templates/templates-view";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("templates.page");
  return { title: t("title") };
}

export default async function TemplatesPage() {
  const t = await getTranslations("templates.page");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <TemplatesView />
    </>
  );
}
