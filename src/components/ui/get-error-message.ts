import { getLocale, getTranslations } from "next-intl/server";
import { describeError, type ErrorTranslator } from "@/components/ui/error-message";

/** The server components' `useErrorMessage()`: an error caught from the server API as a line in the reader's language. */
export async function getErrorMessage(error: unknown): Promise<string> {
  const [t, locale] = await Promise.all([getTranslations("errors"), getLocale()]);
  return describeError(error, t as unknown as ErrorTranslator, locale);
}
