import Link from "next/link";
import { ConversationView } from "@/components/messaging/conversation-view";

export const metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: { params: Promise<{ contactId: string }> }) {
  const { contactId } = await params;
  return (
    <>
      <Link href="/messages" className="mb-4 inline-block text-sm text-brand-700 underline">
        ← All messages
      </Link>
      <ConversationView contactId={contactId} />
    </>
  );
}
