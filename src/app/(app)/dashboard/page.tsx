import Link from "next/link";
import { OwnerHealthLine } from "@/components/health/owner-health-line";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DeliveryFigures } from "@/components/messaging/delivery-figures";
import { getServerApi } from "@/trpc/server";

export const metadata = { title: "Overview" };

export default async function DashboardPage() {
  const api = await getServerApi();
  const bakery = await api.bakery.overview();
  const number = bakery.whatsapp.phoneNumber;
  return (
    <>
      <PageHeader title={bakery.name} description="Your WhatsApp notifications at a glance." />
      {bakery.stoppedBroadcasts.map((broadcast) => (
        <div key={broadcast.id} role="alert" className="mb-6 rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-medium">Broadcast “{broadcast.name}” was stopped: every message of its first batch failed.</p>
          {broadcast.stoppedReason && <p className="mt-1">Why: {broadcast.stoppedReason}</p>}
          <p className="mt-1">
            Nobody else was tried, so no customer got it twice or half-sent. Our team has been alerted too. Fix the cause (see the{" "}
            <Link className="font-medium underline" href={`/broadcasts/${broadcast.id}`}>
              broadcast
            </Link>
            ), then start a new broadcast.
          </p>
        </div>
      ))}
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="WhatsApp">
          {number ? (
            <div className="flex items-center gap-3">
              <Badge tone="green">WhatsApp configured</Badge>
              <span className="font-mono text-sm">{number.displayPhoneNumber}</span>
            </div>
          ) : (
            <p className="text-sm text-stone-700" data-testid="whatsapp-status">
              No WhatsApp number is assigned to your bakery yet. <strong>Contact support</strong> and we will assign one; until then
              notifications cannot be sent.
            </p>
          )}
          <div className="mt-3">
            <OwnerHealthLine />
          </div>
          <p className="mt-3 text-sm text-stone-600">
            Notifications are {bakery.whatsapp.enabled ? "on" : "off"}. Change it in{" "}
            <Link className="font-medium text-brand-700 underline" href="/settings">
              Settings
            </Link>
            .
          </p>
        </Card>
        <Card title={`Messages sent in the last ${bakery.lastDays.days} days`}>
          {bakery.lastDays.total === 0 ? (
            <EmptyState title="No messages yet">
              Purchase orders and broadcasts you send on WhatsApp will appear here with whether they were delivered and read.
            </EmptyState>
          ) : (
            <DeliveryFigures figures={bakery.lastDays} messagesHref="/messages" />
          )}
        </Card>
      </div>
    </>
  );
}
