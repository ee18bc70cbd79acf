import { getTranslations } from "next-intl/server";
import type { Role } from "@/generated/prisma/enums";
import { AlertsIndicator } from "@/components/admin/alerts-panel";
import { Badge } from "@/components/ui/badge";
import { ShellHeader } from "@/components/layout/shell-header";
import { SignOutButton } from "@/components/layout/sign-out-button";

type NavKey =
  "overview" | "numbers" | "bakeries" | "alerts" | "costs" | "audit" | "messages" | "contacts" | "templates" | "broadcasts" | "settings";

const navigation: Record<Role, { href: string; key: NavKey; exact?: boolean }[]> = {
  PLATFORM_ADMIN: [
    { href: "/admin", key: "overview", exact: true },
    { href: "/admin/numbers", key: "numbers" },
    { href: "/admin/tenants", key: "bakeries" },
    { href: "/admin/alerts", key: "alerts" },
    { href: "/admin/costs", key: "costs" },
    { href: "/admin/audit", key: "audit" },
  ],
  TENANT_OWNER: [
    { href: "/dashboard", key: "overview" },
    { href: "/messages", key: "messages" },
    { href: "/contacts", key: "contacts" },
    { href: "/templates", key: "templates" },
    { href: "/broadcasts", key: "broadcasts" },
    { href: "/settings", key: "settings" },
  ],
};

export async function AppShell({
  user,
  tenantName,
  children,
}: {
  user: { name: string; email: string; role: Role };
  tenantName: string | null;
  children: React.ReactNode;
}) {
  const t = await getTranslations("nav");
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        {t("skipToContent")}
      </a>
      <ShellHeader
        brand={
          <>
            <span
              aria-hidden
              className="flex h-8 w-8 shrink-0 items-center justify-center rounded-lg bg-brand-600 text-sm font-bold text-white"
            >
              R
            </span>
            <span className="text-lg font-semibold tracking-tight">Recado</span>
            {tenantName && <span className="hidden truncate text-sm text-stone-600 md:inline">· {tenantName}</span>}
          </>
        }
        actions={user.role === "PLATFORM_ADMIN" ? <AlertsIndicator /> : undefined}
        account={
          <>
            <div className="min-w-0 leading-tight sm:text-right">
              <div className="truncate text-sm font-medium" data-testid="current-user">
                {user.name}
              </div>
              <div className="truncate text-xs text-stone-600">{user.email}</div>
            </div>
            <Badge tone={user.role === "PLATFORM_ADMIN" ? "blue" : "green"}>
              <span data-testid="current-role">{t(`role.${user.role}`)}</span>
            </Badge>
            <SignOutButton />
          </>
        }
        items={navigation[user.role].map((item) => ({ href: item.href, label: t(`item.${item.key}`), exact: item.exact }))}
        labels={{ nav: t("main"), openMenu: t("openMenu"), closeMenu: t("closeMenu") }}
      />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
