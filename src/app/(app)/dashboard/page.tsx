import Link from "next/link";
import { OwnerHealthLine } from "@/components/health/owner-health-line";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getServerApi } from "@/trpc/server";

export const metadata = { title: "Overview" };

export default async function DashboardPage() {
  const api = await getServerApi();
  const bakery = await api.bakery.overview();
  const number = bakery.whatsapp.phoneNumber;
  return (
    <>
      <PageHeader title={bakery.name} description="Your WhatsApp notifications at a glance." />
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="WhatsApp">
          {number ? (
            <div className="flex items-center gap-3">
              <Badge tone="green">WhatsApp configured</Badge>
              <span className="font-mono text-sm">{number.displayPhoneNumber}</span>
            </div>
          ) : (
            <p className="text-sm text-stone-700" data-testid="whatsapp-status">
              No WhatsApp number is assigned to your bakery yet. <strong>Contact support</strong> and we will assign one;
              until then notifications cannot be sent.
            </p>
          )}
          <div className="mt-3"><OwnerHealthLine /></div>
          <p className="mt-3 text-sm text-stone-600">
            Notifications are {bakery.whatsapp.enabled ? "on" : "off"}. Change it in{" "}
            <Link className="font-medium text-brand-700 underline" href="/settings">Settings</Link>.
          </p>
        </Card>
        <Card title="Recent messages">
          <EmptyState title="No messages yet">
            Purchase orders and broadcasts you send on WhatsApp will appear here with whether they were delivered and read.
          </EmptyState>
        </Card>
      </div>
    </>
  );
}
