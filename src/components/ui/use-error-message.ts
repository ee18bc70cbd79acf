"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback } from "react";
import { describeError, type ErrorTranslator } from "@/components/ui/error-message";

/**
 * `const errorMessage = useErrorMessage();` then `toast("error", errorMessage(error))`: any error (a tRPC call's,
 * a failed fetch, a thrown Error) as a line in the reader's language, from messages/<locale>/errors.json.
 * See src/components/ui/error-message.ts for how the line is chosen.
 */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations("errors");
  const locale = useLocale();
  return useCallback((error: unknown) => describeError(error, t as unknown as ErrorTranslator, locale), [t, locale]);
}
