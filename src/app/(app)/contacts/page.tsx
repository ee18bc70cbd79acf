import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Contacts" };

export default function ContactsPage() {
  return (
    <>
      <PageHeader title="Contacts" description="Suppliers and customers you message on WhatsApp." />
      <EmptyState title="No contacts yet" icon="☺">
        Contacts you add or import from a CSV file will appear here with their phone number and whether they agreed to
        receive WhatsApp messages.
      </EmptyState>
    </>
  );
}
