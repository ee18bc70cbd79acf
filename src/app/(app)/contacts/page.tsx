import { getTranslations } from "next-intl/server";
import { ContactsView } from "@/components/contacts/contacts-view";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata() {
  const t = await getTranslations("contacts.page");
  return { title: t("title") };
}

export default async function ContactsPage() {
  const t = await getTranslations("contacts.page");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ContactsView />
    </>
  );
}
