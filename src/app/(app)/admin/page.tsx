import { getTranslations } from "next-intl/server";
import { AlertsPanel } from "@/components/admin/alerts-panel";
import { PlatformBacklog, PlatformDeliveryHealth, PlatformRateCharts, PlatformStats } from "@/components/admin/platform-stats";
import { QuarantinePanel } from "@/components/admin/quarantine-panel";
import { TemplateOwners } from "@/components/admin/templates-owners";
import { ThresholdsPanel } from "@/components/admin/thresholds-panel";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("ops.admin");
  return { title: t("metaTitle") };
}

export default async function AdminOverviewPage() {
  const t = await getTranslations("ops.admin");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <PlatformStats />
      <div className="mt-6 grid grid-cols-1 gap-6 md:grid-cols-2">
        <section id="alerts">
          <Card title={t("alerts")}>
            <div className="overflow-x-auto">
              <AlertsPanel />
            </div>
          </Card>
        </section>
        <div className="space-y-6">
          <Card title={t("deliveryHealth")}>
            <PlatformDeliveryHealth />
          </Card>
          <Card title={t("backlog")} description={t("backlogDescription")}>
            <PlatformBacklog />
          </Card>
        </div>
        <section id="rates" className="md:col-span-2">
          <Card title={t("rates")}>
            <PlatformRateCharts />
          </Card>
        </section>
        {/* issue 17's costs have a page of their own in main (/admin/costs), so none is placed here */}
        <section id="thresholds" className="md:col-span-2">
          <Card title={t("thresholds")}>
            <ThresholdsPanel />
          </Card>
        </section>
        <section id="quarantine" className="md:col-span-2">
          <Card title={t("quarantine")}>
            <div className="overflow-x-auto">
              <QuarantinePanel />
            </div>
          </Card>
        </section>
        <section id="templates" className="md:col-span-2">
          <Card title={t("templates")}>
            <div className="overflow-x-auto">
              <TemplateOwners />
            </div>
          </Card>
        </section>
      </div>
    </>
  );
}
