import { ApiKeysCard } from "@/components/messaging/api-keys-card";
import { TestNotificationCard } from "@/components/messaging/test-notification-card";
import { WhatsAppCard } from "@/components/settings/whatsapp-card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Notifications for your bakery. You never need a Meta account or token." />
      <div className="max-w-2xl space-y-6">
        <WhatsAppCard />
        <TestNotificationCard />
        <ApiKeysCard />
      </div>
    </>
  );
}
