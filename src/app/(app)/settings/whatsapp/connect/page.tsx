import { ConnectWhatsApp } from "@/components/signup/connect-whatsapp";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Connect your own WhatsApp" };

export default function ConnectWhatsAppPage() {
  return (
    <>
      <PageHeader
        title="Connect your own WhatsApp"
        description="Use your bakery's own WhatsApp Business Account (Meta's Embedded Signup)."
      />
      <ConnectWhatsApp />
    </>
  );
}
