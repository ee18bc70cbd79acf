import { AlertsPanel } from "@/components/admin/alerts-panel";
import { PlatformStats } from "@/components/admin/platform-stats";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Admin overview" };

export default function AdminOverviewPage() {
  return (
    <>
      <PageHeader title="Platform overview" description="Every bakery on Recado and the shared WhatsApp Business Account they send from." />
      <PlatformStats />
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <section id="alerts">
          <Card title="Alerts">
            <AlertsPanel />
          </Card>
        </section>
        <Card title="Delivery health">
          <EmptyState title="No messages sent yet">
            Delivery, read and failure rates across all bakeries will be charted here once bakeries start sending.
          </EmptyState>
        </Card>
      </div>
    </>
  );
}
