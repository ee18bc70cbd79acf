import { TemplatesView } from "@/components/templates/templates-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Templates" };

export default function TemplatesPage() {
  return (
    <>
      <PageHeader
        title="Templates"
        description="Messages approved by Meta that you can send at any time, e.g. the purchase-order notification."
      />
      <TemplatesView />
    </>
  );
}
