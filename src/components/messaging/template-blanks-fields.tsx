"use client";

import { useTranslations } from "next-intl";
import type { TemplateBlank } from "@/lib/template-blanks";
import { fillTemplateBody } from "@/lib/template-blanks";
import { languageLabel } from "@/lib/languages";

/** The label of a blank, in the owner's language ("Proveedor", "Número de pedido"), from src/lib/template-blanks.ts. */
export function useBlankLabel() {
  const t = useTranslations("conversation.blank");
  return (blank: TemplateBlank, index: number) =>
    blank.kind === "named" ? (blank.label ?? blank.placeholder) : blank.kind === "text" ? t("text", { number: index + 1 }) : t(blank.kind);
}

/**
 * The message as the customer will see it, in a WhatsApp-like bubble: the template's body with what has been
 * typed so far, and each blank still empty shown by its name in brackets.
 */
export function PreviewBubble({
  bodyText,
  parameterNames,
  values,
  missing,
  testId,
}: {
  bodyText: string | null;
  parameterNames: string[];
  values: (string | undefined)[];
  missing: (index: number) => string;
  testId: string;
}) {
  const t = useTranslations("conversation");
  return (
    <figure className="rounded-lg bg-[#e7ddd3] p-3" data-testid={testId}>
      <figcaption className="mb-2 text-xs font-medium text-stone-700">{t("preview.caption")}</figcaption>
      <p className="ml-auto w-fit max-w-full whitespace-pre-line break-words rounded-lg rounded-tr-none bg-[#d9fdd3] px-3 py-2 text-sm text-stone-900 shadow-sm">
        {fillTemplateBody(bodyText, parameterNames, values, (i) => `[${missing(i)}]`)}
      </p>
    </figure>
  );
}

/** "Español" / "English (US)": a language's own name, as the customer reads it. */
export const languageName = languageLabel;
