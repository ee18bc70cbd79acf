import { TenantsTable } from "@/components/admin/tenants-table";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Bakeries" };

export default function AdminTenantsPage() {
  return (
    <>
      <PageHeader
        title="Bakeries"
        description="Every bakery with its WhatsApp status. Give each one a number of the shared account: one number per bakery."
      />
      <TenantsTable />
    </>
  );
}
