import { AlertsPanel } from "@/components/admin/alerts-panel";
import { PlatformDeliveryHealth, PlatformStats } from "@/components/admin/platform-stats";
import { QuarantinePanel } from "@/components/admin/quarantine-panel";
import { TemplateOwners } from "@/components/admin/templates-owners";
import { Card } from "@/components/ui/card";
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
        <Card title="Delivery health, last 7 days">
          <PlatformDeliveryHealth />
        </Card>
        <section id="quarantine" className="md:col-span-2">
          <Card title="Quarantined webhook items">
            <QuarantinePanel />
          </Card>
        </section>
        <section id="templates" className="md:col-span-2">
          <Card title="Message templates and who they belong to">
            <TemplateOwners />
          </Card>
        </section>
      </div>
    </>
  );
}
