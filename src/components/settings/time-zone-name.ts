"use client";

import { useLocale } from "next-intl";

/** Spain's two zones, offered first in Settings. */
export const spanishTimeZones = ["Europe/Madrid", "Atlantic/Canary"] as const;

/** A time zone in words in the given locale ("hora de Europa central"), never its id unless Intl has no name for it. */
export function timeZoneName(timeZone: string, locale: string, at = new Date()): string {
  try {
    for (const style of ["longGeneric", "long"] as const) {
      const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
        .formatToParts(at)
        .find((part) => part.type === "timeZoneName")?.value;
      if (name && !/^GMT[+-]/.test(name)) return name;
    }
    if (timeZone === "UTC") return "UTC";
    return `${timeZone.split("/").pop()!.replaceAll("_", " ")} (${new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? timeZone})`;
  } catch {
    return timeZone;
  }
}

/** The bakery's time zone in words in the user's interface language. */
export function useTimeZoneName(timeZone: string): string {
  return timeZoneName(timeZone, useLocale());
}
