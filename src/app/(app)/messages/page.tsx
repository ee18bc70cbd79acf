import { MessageHistory } from "@/components/messaging/message-history";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Messages" };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status } = await searchParams;
  return (
    <>
      <PageHeader
        title="Messages"
        description="Everything your bakery sent and received on WhatsApp, with what happened to each message."
      />
      <MessageHistory initialFailedOnly={status === "failed"} />
    </>
  );
}
