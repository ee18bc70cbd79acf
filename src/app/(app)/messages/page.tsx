import { getTranslations } from "next-intl/server";
import { MessageHistory } from "@/components/messaging/message-history";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("conversation");
  return { title: t("messages.title") };
}

export default async function MessagesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status } = await searchParams;
  const t = await getTranslations("conversation");
  return (
    <>
      <PageHeader title={t("messages.title")} description={t("messages.description")} />
      <MessageHistory initialFailedOnly={status === "failed"} />
    </>
  );
}
