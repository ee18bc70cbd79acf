import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { BroadcastDetail } from "@/components/broadcasts/broadcast-detail";
import { BroadcastSchedule } from "@/components/broadcasts/broadcast-schedule";
import { RetryFailedButton } from "@/components/broadcasts/retry-failed-button";
import { getServerApi } from "@/trpc/server";

export async function generateMetadata() {
  const t = await getTranslations("broadcasts");
  return { title: t("detail.title") };
}

/** An id that is unknown or another bakery's: said at once, from the server, without a client round of retries. */
async function exists(broadcastId: string) {
  try {
    await (await getServerApi()).broadcasts.progress({ broadcastId });
    return true;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return false;
    throw error;
  }
}

export default async function BroadcastPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations("broadcasts");
  if (!(await exists(id))) {
    return (
      <div className="rounded-xl border border-stone-200 bg-white p-6" data-testid="not-found">
        <h1 className="text-xl font-semibold text-stone-900">{t("notFound.title")}</h1>
        <p className="mt-2 text-sm text-stone-600">{t("notFound.body")}</p>
        <Link href="/broadcasts" className="mt-4 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          {t("notFound.back")}
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <BroadcastDetail broadcastId={id} />
      <BroadcastSchedule broadcastId={id} />
      <RetryFailedButton broadcastId={id} />
    </div>
  );
}
