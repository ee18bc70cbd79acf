import { NumberHealth } from "@/components/health/number-health";

export const metadata = { title: "Phone number" };

export default async function AdminNumberPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <NumberHealth phoneNumberId={id} />;
}
