import type { BadgeTone } from "@/components/ui/badge";

/**
 * Each health field with its badge tone; the words (label and one-line meaning) are in messages/<locale>/health.json
 * under values.<field>.<VALUE> (Meta: business-phone-numbers/phone-numbers), with an `other` entry for values Meta adds.
 */
export type Reading = { tone: BadgeTone; label: string; meaning: string };

type Translate = {
  (key: string, values?: Record<string, string | number>): string;
  has: (key: string) => boolean;
};

export const healthFields = [
  "status",
  "qualityRating",
  "codeVerificationStatus",
  "nameStatus",
  "platformType",
  "throughputLevel",
  "messagingLimit",
  "healthStatus",
] as const;

const tones: Record<string, Record<string, BadgeTone>> = {
  status: {
    CONNECTED: "green",
    PENDING: "yellow",
    FLAGGED: "yellow",
    RESTRICTED: "red",
    BANNED: "red",
    DISCONNECTED: "red",
    RATE_LIMITED: "yellow",
    DELETED: "red",
  },
  qualityRating: { GREEN: "green", YELLOW: "yellow", RED: "red" },
  codeVerificationStatus: { VERIFIED: "green", EXPIRED: "yellow", other: "yellow" },
  nameStatus: { APPROVED: "green", AVAILABLE_WITHOUT_REVIEW: "green", PENDING_REVIEW: "blue", DECLINED: "red", EXPIRED: "yellow" },
  platformType: { NOT_APPLICABLE: "yellow", other: "green" },
  throughputLevel: { NOT_APPLICABLE: "yellow", other: "green" },
  messagingLimit: { other: "blue" },
  healthStatus: { AVAILABLE: "green", LIMITED: "yellow", BLOCKED: "red" },
};

/** The badge of a field's value, in the user's language (`t` is the "health" namespace). */
export function readHealthField(t: Translate, field: string, value: string | null | undefined): Reading {
  if (value === null || value === undefined)
    return { tone: "gray", label: t("values.unknown.label"), meaning: t("values.unknown.meaning") };
  const key = t.has(`values.${field}.${value}.label`)
    ? `values.${field}.${value}`
    : t.has(`values.${field}.other.label`)
      ? `values.${field}.other`
      : null;
  const tone = tones[field]?.[value] ?? tones[field]?.other ?? "gray";
  if (!key) return { tone, label: value.replaceAll("_", " ").toLowerCase(), meaning: "" };
  return { tone, label: t(`${key}.label`), meaning: t(`${key}.meaning`) };
}

/** A timeline value in plain words: a field's value, an onboarding state or a Meta event. */
export function timelineValue(t: Translate, field: string, value: string | null): string {
  if (value === null) return t("values.cleared");
  if (field === "onboardingState" || field === "stuck")
    return t.has(`onboarding.${value}.label`)
      ? t(`onboarding.${value}.label`)
      : t.has(`values.event.${value}`)
        ? t(`values.event.${value}`)
        : value;
  if ((healthFields as readonly string[]).includes(field)) return readHealthField(t, field, value).label;
  if (field === "verifiedName") return value;
  return t.has(`values.event.${value}`) ? t(`values.event.${value}`) : t("values.event.other");
}

export function fieldTitle(t: Translate, field: string): string {
  return t.has(`fields.${field}`) ? t(`fields.${field}`) : t("fields.other");
}

export const onboardingTones: Record<string, { banner: string; dot: string }> = {
  green: { banner: "border-emerald-300 bg-emerald-50 text-emerald-900", dot: "bg-emerald-500" },
  amber: { banner: "border-amber-300 bg-amber-50 text-amber-900", dot: "bg-amber-500" },
  blue: { banner: "border-sky-300 bg-sky-50 text-sky-900", dot: "bg-sky-500" },
  red: { banner: "border-red-300 bg-red-50 text-red-900", dot: "bg-red-500" },
  gray: { banner: "border-stone-300 bg-stone-50 text-stone-800", dot: "bg-stone-400" },
};
