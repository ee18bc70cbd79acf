import { getTranslations } from "next-intl/server";
import { SupportContactForm } from "@/components/admin/support-contact-form";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("settings.support.admin");
  return { title: t("title") };
}

export default async function AdminSupportPage() {
  const t = await getTranslations("settings.support.admin");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <SupportContactForm />
    </>
  );
}
