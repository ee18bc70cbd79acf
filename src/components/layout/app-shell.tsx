import { getTranslations } from "next-intl/server";
import type { Role } from "@/generated/prisma/enums";
import { AlertsIndicator } from "@/components/admin/alerts-panel";
import { Badge } from "@/components/ui/badge";
import { NavLink } from "@/components/layout/nav-link";
import { SignOutButton } from "@/components/layout/sign-out-button";

type NavKey = "overview" | "numbers" | "bakeries" | "audit" | "messages" | "contacts" | "templates" | "broadcasts" | "settings";

const navigation: Record<Role, { href: string; key: NavKey; exact?: boolean }[]> = {
  PLATFORM_ADMIN: [
    { href: "/admin", key: "overview", exact: true },
    { href: "/admin/numbers", key: "numbers" },
    { href: "/admin/tenants", key: "bakeries" },
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
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
          <div className="flex items-center gap-3">
            <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-600 text-sm font-bold text-white">R</span>
            <span className="text-lg font-semibold tracking-tight">Recado</span>
            {tenantName && <span className="hidden text-sm text-stone-500 sm:inline">· {tenantName}</span>}
          </div>
          <div className="flex items-center gap-3">
            {user.role === "PLATFORM_ADMIN" && <AlertsIndicator />}
            <div className="text-right leading-tight">
              <div className="text-sm font-medium" data-testid="current-user">
                {user.name}
              </div>
              <div className="text-xs text-stone-500">{user.email}</div>
            </div>
            <Badge tone={user.role === "PLATFORM_ADMIN" ? "blue" : "green"}>
              <span data-testid="current-role">{t(`role.${user.role}`)}</span>
            </Badge>
            <SignOutButton />
          </div>
        </div>
        <nav aria-label={t("main")} className="mx-auto flex max-w-6xl gap-1 px-4 pb-2">
          {navigation[user.role].map((item) => (
            <NavLink key={item.href} href={item.href} exact={item.exact}>
              {t(`item.${item.key}`)}
            </NavLink>
          ))}
        </nav>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
