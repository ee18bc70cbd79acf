import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Bakeries" };

export default function AdminTenantsPage() {
  return (
    <>
      <PageHeader title="Bakeries" description="Every bakery and its WhatsApp status." />
      <EmptyState title="Bakery list coming here" icon="🥖">
        Each bakery will be listed with whether WhatsApp is on, the number assigned to it and its message language,
        with search, and a button to assign or unassign a number.
      </EmptyState>
    </>
  );
}
