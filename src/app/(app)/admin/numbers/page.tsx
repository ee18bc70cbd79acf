import { NumbersTable } from "@/components/admin/numbers-table";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Phone numbers" };

export default function AdminNumbersPage() {
  return (
    <>
      <PageHeader
        title="Phone numbers"
        description="The numbers of the shared WhatsApp Business Account. Assign them to bakeries on the Bakeries page."
      />
      <NumbersTable />
    </>
  );
}
