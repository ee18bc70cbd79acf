import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Notifications and API keys for your bakery." />
      <EmptyState title="Notification settings coming here" icon="⚙">
        You will switch WhatsApp notifications on or off here, see the number assigned to your bakery and choose the
        language your messages are sent in. You never need a Meta account or token.
      </EmptyState>
    </>
  );
}
