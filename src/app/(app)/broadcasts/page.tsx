import { getTranslations } from "next-intl/server";
import { BroadcastList } from "@/components/broadcasts/broadcast-list";
import { NewBroadcast } from "@/components/broadcasts/new-broadcast";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("broadcasts");
  return { title: t("page.title") };
}

export default async function BroadcastsPage() {
  const t = await getTranslations("broadcasts");
  return (
    <>
      <PageHeader title={t("page.title")} description={t("page.description")} />
      <div className="grid min-w-0 gap-6 lg:grid-cols-[1fr_1fr]">
        <div className="min-w-0">
          <NewBroadcast />
        </div>
        <div className="min-w-0">
          <BroadcastList />
        </div>
      </div>
    </>
  );
}
