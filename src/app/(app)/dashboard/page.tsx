import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { OwnerHealthLine } from "@/components/health/owner-health-line";
import { BakeryRateCharts } from "@/components/charts/bakery-rate-charts";
import { ShareLeftCard } from "@/components/costs/share-left-card";
import { SpendCard } from "@/components/costs/spend-card";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DeliveryFigures } from "@/components/messaging/delivery-figures";
import { getServerApi } from "@/trpc/server";

export async function generateMetadata() {
  const t = await getTranslations("ops.dashboard");
  return { title: t("metaTitle") };
}

export default async function DashboardPage() {
  const t = await getTranslations("ops.dashboard");
  const api = await getServerApi();
  const bakery = await api.bakery.overview();
  const number = bakery.whatsapp.phoneNumber;
  return (
    <>
      <PageHeader title={bakery.name} description={t("description")} />
      {bakery.stoppedBroadcasts.map((broadcast) => (
        <div key={broadcast.id} role="alert" className="mb-6 rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-medium">{t("stopped.title", { name: broadcast.name })}</p>
          {broadcast.stoppedReason && <p className="mt-1">{t("stopped.why", { reason: broadcast.stoppedReason })}</p>}
          <p className="mt-1">
            {t.rich("stopped.next", {
              link: (chunks) => (
                <Link className="font-medium underline" href={`/broadcasts/${broadcast.id}`}>
                  {chunks}
                </Link>
              ),
            })}
          </p>
        </div>
      ))}
      <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
        <Card title={t("whatsapp.title")}>
          {number ? (
            <div className="flex flex-wrap items-center gap-3">
              <Badge tone="green">{t("whatsapp.configured")}</Badge>
              <span className="font-mono text-sm">{number.displayPhoneNumber}</span>
            </div>
          ) : (
            <p className="text-sm text-stone-700" data-testid="whatsapp-status">
              {t.rich("whatsapp.noNumber", { strong: (chunks) => <strong>{chunks}</strong> })}
            </p>
          )}
          <div className="mt-3">
            <OwnerHealthLine />
          </div>
          <p className="mt-3 text-sm text-stone-600">
            {t.rich(bakery.whatsapp.enabled ? "whatsapp.notificationsOn" : "whatsapp.notificationsOff", {
              link: (chunks) => (
                <Link className="font-medium text-brand-700 underline" href="/settings">
                  {chunks}
                </Link>
              ),
            })}
          </p>
        </Card>
        <Card title={t("recent.title", { days: bakery.lastDays.days })}>
          {bakery.lastDays.total === 0 ? (
            <EmptyState title={t("recent.emptyTitle")}>{t("recent.emptyBody")}</EmptyState>
          ) : (
            <DeliveryFigures figures={bakery.lastDays} messagesHref="/messages" />
          )}
        </Card>
        <section id="rates" className="md:col-span-2">
          <Card title={t("rates.title")} description={t("rates.description")}>
            <BakeryRateCharts />
          </Card>
        </section>
        {/* issue 17: this month's spend and today's share of the shared account */}
        <SpendCard />
        <ShareLeftCard />
      </div>
    </>
  );
}
