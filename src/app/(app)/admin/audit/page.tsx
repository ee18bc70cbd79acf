import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Audit log" };

export default function AdminAuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when." />
      <EmptyState title="Nothing recorded yet" icon="≡">
        Number assignments, consent changes, template changes and sends will be recorded here with who did them,
        when, and the values before and after.
      </EmptyState>
    </>
  );
}
