"use client";

import { useTranslations } from "next-intl";
import { OwnerHealthLine } from "@/components/health/owner-health-line";
import { SupportLink } from "@/components/settings/support-link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { languageLabel, messageLanguages, type MessageLanguage } from "@/lib/languages";
import { api, type RouterOutputs } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

type Settings = RouterOutputs["settings"]["whatsapp"];

export function WhatsAppCard() {
  const t = useTranslations("settings.whatsapp");
  const errorMessage = useErrorMessage();
  const utils = api.useUtils();
  const toast = useToast();
  const settings = api.settings.whatsapp.useQuery();
  // Optimistic: the switch and the selector move at once; a refusal puts them back and says why.
  const update = api.settings.updateWhatsapp.useMutation({
    onMutate: async (change) => {
      await utils.settings.whatsapp.cancel();
      const previous = utils.settings.whatsapp.getData();
      utils.settings.whatsapp.setData(undefined, (current) => (current ? ({ ...current, ...change } as Settings) : current));
      return { previous };
    },
    onError: (error, _change, context) => {
      utils.settings.whatsapp.setData(undefined, context?.previous);
      toast("error", t("notSaved", { message: errorMessage(error) }));
    },
    onSuccess: (saved, change) => {
      utils.settings.whatsapp.setData(undefined, saved);
      toast("success", change.language ? t("languageSaved") : saved.enabled ? t("turnedOn") : t("turnedOff"));
    },
  });

  if (!settings.data) {
    return (
      <Card title={t("title")}>
        <p className="text-sm text-stone-700">
          {settings.error ? t("loadFailed", { message: errorMessage(settings.error) }) : t("loading")}
        </p>
      </Card>
    );
  }
  const s = settings.data;
  const number = s.phoneNumber;

  return (
    <Card title={t("title")} description={t("description")}>
      <div className="space-y-5">
        <div data-testid="whatsapp-number">
          {number ? (
            <div className="flex flex-wrap items-center gap-3">
              <Badge tone="green">✓ {t("configured")}</Badge>
              <span className="font-mono text-sm" data-testid="assigned-number">
                {number.displayPhoneNumber}
              </span>
              {number.verifiedName && <span className="text-sm text-stone-700">{t("shownAs", { name: number.verifiedName })}</span>}
              <OwnerHealthLine />
            </div>
          ) : (
            <div className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-950" data-testid="contact-support">
              <p>
                <strong>{t("noNumber.title")}</strong> {t("noNumber.body")}
              </p>
              <p className="mt-1">
                {t("noNumber.contact")} <SupportLink subject={t("noNumber.subject")} />
              </p>
            </div>
          )}
        </div>

        <div className="flex items-start justify-between gap-6">
          <div>
            <p className="text-sm font-medium text-stone-900" id="whatsapp-toggle-label">
              {t("toggle.label")}
            </p>
            <p className="text-sm text-stone-700" data-testid="toggle-explanation">
              {!number ? t("toggle.noNumber") : s.enabled ? t("toggle.on") : t("toggle.off")}
            </p>
          </div>
          <button
            type="button"
            role="switch"
            aria-checked={s.enabled}
            aria-labelledby="whatsapp-toggle-label"
            onClick={() => update.mutate({ enabled: !s.enabled })}
            className="inline-flex min-h-11 min-w-11 shrink-0 items-center justify-center"
          >
            <span
              className={`relative inline-flex h-6 w-11 items-center rounded-full transition ${s.enabled ? "bg-brand-700" : "bg-stone-400"}`}
            >
              <span
                className={`inline-block h-5 w-5 rounded-full bg-white shadow transition ${s.enabled ? "translate-x-5" : "translate-x-0.5"}`}
              />
            </span>
          </button>
        </div>

        <label className="block">
          <span className="text-sm font-medium text-stone-900">{t("language.label")}</span>
          <span className="block text-sm text-stone-700">{t("language.hint")}</span>
          <select
            value={s.language}
            onChange={(e) => update.mutate({ language: e.target.value as MessageLanguage })}
            className="mt-2 min-h-11 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm"
            aria-label={t("language.label")}
          >
            {messageLanguages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
          {s.phoneNumber && <TemplateCoverage language={s.language} />}
        </label>
      </div>
    </Card>
  );
}

/**
 * What the chosen message language means for the bakery's approved templates: how many exist in it, and what the
 * others are sent in (a template goes in the bakery's language when it exists in it, else in Spanish, else English).
 */
function TemplateCoverage({ language }: { language: string }) {
  const t = useTranslations("settings.whatsapp.language");
  const templates = api.templates.list.useQuery(undefined, { retry: false });
  if (!templates.data) return null;
  const approved = templates.data.filter((tpl) => tpl.status === "APPROVED");
  const names = [...new Set(approved.map((tpl) => tpl.name))];
  if (names.length === 0) return null;
  const inLanguage = names.filter((name) => approved.some((tpl) => tpl.name === name && tpl.language === language)).length;
  const others = names.length - inLanguage;
  return (
    <span className="mt-2 block text-sm text-stone-700" data-testid="language-coverage">
      {t("coverage", { count: inLanguage, total: names.length, language: languageLabel(language) })}
      {others > 0 ? ` ${t(language === "es" ? "fallbackEnglish" : "fallback", { count: others })}` : ""}
    </span>
  );
}
