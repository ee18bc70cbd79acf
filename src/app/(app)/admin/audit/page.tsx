import { AuditTable } from "@/components/admin/audit-table";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Audit log" };

export default function AdminAuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when, with the values before and after." />
      <AuditTable />
    </>
  );
}
