import { MessageHistory } from "@/components/messaging/message-history";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Messages" };

export default function MessagesPage() {
  return (
    <>
      <PageHeader title="Messages" description="Everything your bakery sent and received on WhatsApp, with what happened to each message." />
      <MessageHistory />
    </>
  );
}
