import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeCookie, resolveLocale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";
import { getServerAuthSession } from "@/server/auth/options";
import { getDb } from "@/server/db";

/** Madrid's clock until a bakery sets its own: every bakery of Recado is in Spain today. */
export const defaultTimeZone = "Europe/Madrid";

async function storedLocale(): Promise<string | null> {
  const session = await getServerAuthSession().catch(() => null);
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { locale: true } });
  return user?.locale ?? null;
}

// next-intl calls this once per request (React's cache) for server components; the root layout hands the
// result to client components through NextIntlClientProvider.
export default getRequestConfig(async () => {
  const [cookieStore, headerList, stored] = await Promise.all([cookies(), headers(), storedLocale()]);
  const locale = resolveLocale({
    stored,
    cookie: cookieStore.get(localeCookie)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
  return { locale, messages: loadMessages(locale), timeZone: defaultTimeZone };
});
