import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConnectWhatsApp } from "@/components/signup/connect-whatsapp";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signup");
  return { title: t("pageTitle") };
}

export default async function ConnectWhatsAppPage() {
  const t = await getTranslations("signup");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} />
      <ConnectWhatsApp />
    </>
  );
}
