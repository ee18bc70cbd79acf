"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useMemo } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { spanishTimeZones, timeZoneName } from "@/components/settings/time-zone-name";
import { api } from "@/trpc/react";

const select = "min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";

/**
 * Settings → Time zone: where the bakery is, so a broadcast scheduled "tomorrow at 09:00" starts at 09:00 there.
 * Spain's two zones first, then every other zone in words; owner only (settings.updateTimeZone), audited.
 */
export function TimeZoneCard() {
  const t = useTranslations("settings.timeZone");
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  const toast = useToast();
  const id = useId();
  const utils = api.useUtils();
  const settings = api.settings.whatsapp.useQuery();
  const update = api.settings.updateTimeZone.useMutation({
    onSuccess: (saved) => {
      utils.settings.whatsapp.setData(undefined, saved);
      void utils.broadcasts.scheduling.invalidate();
      toast("success", t("saved", { zone: timeZoneName(saved.timeZone, locale) }));
    },
    onError: (error) => toast("error", t("notSaved", { message: errorMessage(error) })),
  });
  const others = useMemo(() => {
    const spanish: readonly string[] = spanishTimeZones;
    const zones = [...Intl.supportedValuesOf("timeZone"), "UTC"].filter((z) => !spanish.includes(z));
    return zones
      .map((zone) => ({ zone, label: `${zone.replaceAll("_", " ").replaceAll("/", " / ")} · ${timeZoneName(zone, locale)}` }))
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }, [locale]);

  const current = update.isPending && update.variables ? update.variables.timeZone : settings.data?.timeZone;
  return (
    <Card title={t("title")} description={t("description")}>
      {!settings.data ? (
        <p className="text-sm text-stone-700">
          {settings.error ? t("loadFailed", { message: errorMessage(settings.error) }) : t("loading")}
        </p>
      ) : (
        <div className="space-y-2">
          <label htmlFor={id} className="block text-sm font-medium text-stone-900">
            {t("label")}
          </label>
          <select
            id={id}
            className={select}
            value={current}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ timeZone: e.target.value })}
            data-testid="time-zone-select"
          >
            <optgroup label={t("spain")}>
              <option value="Europe/Madrid">{t("madrid", { zone: timeZoneName("Europe/Madrid", locale) })}</option>
              <option value="Atlantic/Canary">{t("canary", { zone: timeZoneName("Atlantic/Canary", locale) })}</option>
            </optgroup>
            <optgroup label={t("others")}>
              {others.map(({ zone, label }) => (
                <option key={zone} value={zone}>
                  {label}
                </option>
              ))}
            </optgroup>
          </select>
          <p className="text-sm text-stone-700" data-testid="time-zone-current">
            {t("current", { zone: timeZoneName(current ?? settings.data.timeZone, locale) })}
          </p>
        </div>
      )}
    </Card>
  );
}
