import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NumberHealth } from "@/components/health/number-health";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.numbers");
  return { title: t("oneNumberTitle") };
}

export default async function AdminNumberPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <NumberHealth phoneNumberId={id} />;
}
