import type { Metadata } from "next";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import "./globals.css";
import { ToastProvider } from "@/components/ui/toast";
import { TRPCReactProvider } from "@/trpc/react";

export const metadata: Metadata = {
  title: { default: "Recado", template: "%s · Recado" },
  description: "WhatsApp notifications and broadcasts for bakeries, on Meta's Cloud API.",
};

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
