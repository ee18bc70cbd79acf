import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Messages" };

export default function MessagesPage() {
  return (
    <>
      <PageHeader title="Messages" description="Everything your bakery sent and received on WhatsApp." />
      <EmptyState title="No messages yet" icon="✉">
        Every message will be listed here with its status (sent, delivered, read or failed, with the reason in plain
        words) and whether the 24-hour reply window with that contact is open.
      </EmptyState>
    </>
  );
}
