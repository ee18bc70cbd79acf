import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import "./globals.css";
import { ToastProvider } from "@/components/ui/toast";
import { TRPCReactProvider } from "@/trpc/react";

// The icons and the web manifest are files of public/ (a phone's tab icon and "add to home screen").
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common.app");
  return {
    title: { default: "Recado", template: "%s · Recado" },
    description: t("description"),
    applicationName: "Recado",
    manifest: "/manifest.webmanifest",
    icons: {
      icon: [
        { url: "/icon.svg", type: "image/svg+xml" },
        { url: "/icon-192.png", sizes: "192x192", type: "image/png" },
      ],
      apple: [{ url: "/icon-192.png", sizes: "192x192" }],
    },
    appleWebApp: { capable: true, title: "Recado", statusBarStyle: "default" },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b7a45" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts the request's CSP nonce (src/proxy.ts) on its scripts only then.
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="font-sans">
        <NextIntlClientProvider>
          <TRPCReactProvider>
            <ToastProvider>{children}</ToastProvider>
          </TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
