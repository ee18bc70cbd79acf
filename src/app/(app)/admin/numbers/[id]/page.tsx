import { getTranslations } from "next-intl/server";
import { NumberHealth } from "@/components/health/number-health";

export async function generateMetadata() {
  const t = await getTranslations("health.page");
  return { title: t("title") };
}

export default async function AdminNumberPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <NumberHealth phoneNumberId={id} />;
}
