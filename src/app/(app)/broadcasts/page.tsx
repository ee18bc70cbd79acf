import { BroadcastList } from "@/components/broadcasts/broadcast-list";
import { NewBroadcast } from "@/components/broadcasts/new-broadcast";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Broadcasts" };

export default function BroadcastsPage() {
  return (
    <>
      <PageHeader
        title="Broadcasts"
        description="Send an approved template to many customers at once. Only contacts who agreed to receive WhatsApp messages get it, at the pace Meta allows."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_1fr]">
        <NewBroadcast />
        <BroadcastList />
      </div>
    </>
  );
}
