import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ConversationView } from "@/components/messaging/conversation-view";

export async function generateMetadata() {
  const t = await getTranslations("conversation");
  return { title: t("pageTitle") };
}

export default async function ConversationPage({ params }: { params: Promise<{ contactId: string }> }) {
  const { contactId } = await params;
  const t = await getTranslations("conversation");
  return (
    <>
      <Link href="/messages" className="mb-4 inline-flex min-h-11 items-center text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <ConversationView contactId={contactId} />
    </>
  );
}
