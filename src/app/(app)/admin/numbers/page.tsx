import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Phone numbers" };

export default function AdminNumbersPage() {
  return (
    <>
      <PageHeader title="Phone numbers" description="The numbers of the shared WhatsApp Business Account." />
      <EmptyState title="No numbers loaded yet" icon="☎">
        Each number of the master account will appear here with its display number, verified name, quality rating
        (green, yellow, red or not yet rated), health and the bakery it is assigned to.
      </EmptyState>
    </>
  );
}
