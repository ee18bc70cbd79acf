import { redirect } from "next/navigation";
import { AppShell } from "@/components/layout/app-shell";
import { getServerApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const api = await getServerApi();
  const me = await api.account.me().catch(() => null);
  if (!me) redirect("/signin");
  return (
    <AppShell user={me} tenantName={me.tenant?.name ?? null}>
      {children}
    </AppShell>
  );
}
