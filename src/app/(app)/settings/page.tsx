import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LanguageCard } from "@/components/account/language-card";
import { ApiKeysCard } from "@/components/messaging/api-keys-card";
import { TestNotificationCard } from "@/components/messaging/test-notification-card";
import { TimeZoneCard } from "@/components/settings/time-zone-card";
import { WhatsAppCard } from "@/components/settings/whatsapp-card";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.settingsPage");
  return { title: t("title") };
}

export default async function SettingsPage() {
  const t = await getTranslations("account.settingsPage");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="max-w-2xl space-y-6">
        <WhatsAppCard />
        <TimeZoneCard />
        <TestNotificationCard />
        <LanguageCard />
        <ApiKeysCard />
      </div>
    </>
  );
}
