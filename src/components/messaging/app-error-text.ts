"use client";

import { useTranslations } from "next-intl";

/** Recado's error codes whose messages the conversation and broadcast pages translate (messages/<locale>/*.json "errors"). */
const translatedCodes = new Set([
  "VALIDATION_FAILED",
  "NOT_FOUND",
  "CONFLICT",
  "WHATSAPP_NOT_ENABLED",
  "NO_PHONE_NUMBER_ASSIGNED",
  "CONTACT_NOT_OPTED_IN",
  "CONVERSATION_EXPIRED",
  "TEMPLATE_NOT_FOUND",
  "TEMPLATE_NOT_APPROVED",
  "TEMPLATE_PARAMS_MISMATCH",
  "RECIPIENT_NOT_ON_WHATSAPP",
  "RATE_LIMIT_EXCEEDED",
  "TOKEN_EXPIRED",
  "PERMISSION_DENIED",
  "META_UNAVAILABLE",
  "META_ERROR",
  "INTERNAL_ERROR",
]);

type ErrorLike = {
  message?: string;
  data?: { appCode?: string | null; code?: string; details?: unknown; reference?: string | null } | null;
};

/**
 * A tRPC error (or a stored failure's code) in the owner's language: the code stays, its message is translated,
 * with the field that was wrong when the server named one (schedule, name, blanks).
 */
export function useAppErrorText(namespace: "conversation" | "broadcasts") {
  const t = useTranslations(`${namespace}.errors`);
  return (error: ErrorLike) => {
    const code = error.data?.appCode ?? (error.data?.code === "NOT_FOUND" ? "NOT_FOUND" : null);
    const details = (error.data?.details ?? {}) as { field?: string };
    if (code === "VALIDATION_FAILED" && details.field === "schedule") return t("schedule");
    if (code === "VALIDATION_FAILED" && details.field === "audience") return t("audience");
    if (code && translatedCodes.has(code)) return t(code);
    return error.data?.reference ? t("unexpectedWithReference", { reference: error.data.reference }) : t("unexpected");
  };
}
