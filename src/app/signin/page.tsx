import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { LanguageMenu } from "@/components/account/language-menu";
import { SignInForm } from "@/components/auth/sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("pageTitle") };
}

export default async function SignInPage() {
  const t = await getTranslations("auth");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-8 sm:px-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-3">
          <span
            aria-hidden
            className="flex h-10 w-10 shrink-0 items-center justify-center rounded-xl bg-brand-600 text-lg font-bold text-white"
          >
            R
          </span>
          <div>
            <h1 className="text-xl font-semibold tracking-tight">{t("heading")}</h1>
            <p className="text-sm text-stone-600">{t("tagline")}</p>
          </div>
        </div>
        <div className="rounded-xl border border-stone-200 bg-white p-6 shadow-sm">
          <Suspense>
            <SignInForm />
          </Suspense>
        </div>
        <LanguageMenu signedIn={false} className="mt-4 justify-center" />
      </div>
    </main>
  );
}
