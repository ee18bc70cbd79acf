import { ContactsView } from "@/components/contacts/contacts-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Contacts" };

export default function ContactsPage() {
  return (
    <>
      <PageHeader title="Contacts" description="Suppliers and customers you message on WhatsApp, and whether they agreed to it." />
      <ContactsView />
    </>
  );
}
