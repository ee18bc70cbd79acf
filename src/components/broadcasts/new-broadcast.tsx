"use client";

import Papa from "papaparse";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useAppErrorText } from "@/components/messaging/app-error-text";
import { PreviewBubble, languageName, useBlankLabel } from "@/components/messaging/template-blanks-fields";
import { instantOf, wallTimeOf, type WallTime } from "@/lib/zoned-time";
import { ScheduleFields } from "@/components/broadcasts/broadcast-schedule";
import { useTimeZoneName } from "@/components/settings/time-zone-name";
import { CostEstimate } from "@/components/costs/cost-estimate";
import { api, type RouterInputs } from "@/trpc/react";

type Draft = RouterInputs["broadcasts"]["create"];
type Source = Draft["parameters"][number];
type AudienceKind = "all" | "tag" | "csv";

const input = "min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";
const labelText = "mb-1 block text-sm font-medium text-stone-800";

/** The phone column of an uploaded file: a header named phone/teléfono/telefono/móvil, else the first column. */
function phonesFromCsv(text: string): string[] {
  const rows = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;
  if (rows.length === 0) return [];
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const named = header.findIndex((h) => ["phone", "telefono", "teléfono", "movil", "móvil", "phone_number"].includes(h));
  const column = named >= 0 ? named : 0;
  const body = named >= 0 || !/\d{6,}/.test(rows[0]![0] ?? "") ? rows.slice(1) : rows;
  return body.map((row) => row[column] ?? "").filter((v) => v.trim() !== "");
}

/** Tomorrow at 09:00 in the bakery's zone: the form's first suggestion for a scheduled start. */
function suggestedStart(timeZone: string): WallTime {
  const tomorrow = wallTimeOf(new Date(Date.now() + 24 * 3_600_000), timeZone);
  return { date: tomorrow.date, time: "09:00" };
}

/** A draft being changed (Broadcasts → a draft → change): its id, what it holds now, and what to do when done. */
type Editing = { broadcastId: string; initial: Draft & { scheduled: boolean }; onDone: () => void };

/** The edit form of a draft: loads what it holds, then the same form as a new broadcast, saving instead of starting. */
export function EditBroadcast({ broadcastId, onDone }: { broadcastId: string; onDone: () => void }) {
  const t = useTranslations("broadcasts");
  const errorText = useAppErrorText("broadcasts");
  const draft = api.broadcasts.draft.useQuery({ broadcastId }, { retry: false });
  if (draft.error) return <p className="rounded-md bg-red-50 p-3 text-sm text-red-800">{errorText(draft.error)}</p>;
  if (!draft.data) return <p className="text-sm text-stone-600">{t("form.saving")}</p>;
  const d = draft.data;
  const audience = d.audience;
  // a retry's audience (the contacts who failed) is not one the form can show: such a draft keeps its audience
  if (audience.kind === "contacts") return null;
  const initial = {
    name: d.name,
    templateName: d.templateName,
    language: d.language,
    parameters: d.parameters,
    audience,
    ...(d.schedule ? { schedule: d.schedule } : {}),
    scheduled: d.schedule !== null,
  };
  return (
    <div data-testid="edit-broadcast-form">
      <NewBroadcast editing={{ broadcastId, initial, onDone }} />
    </div>
  );
}

export function NewBroadcast({ editing }: { editing?: Editing } = {}) {
  const t = useTranslations("broadcasts");
  const format = useFormatter();
  const router = useRouter();
  const toast = useToast();
  const errorText = useAppErrorText("broadcasts");
  const blankLabel = useBlankLabel();
  const ids = useId();
  const choices = api.messages.templateChoices.useQuery(undefined, { retry: false });
  const scheduling = api.broadcasts.scheduling.useQuery();
  const templates = choices.data?.templates ?? [];
  const timeZone = scheduling.data?.timeZone ?? "Europe/Madrid";
  const zone = useTimeZoneName(timeZone);
  const initial = editing?.initial;
  const utils = api.useUtils();

  const [name, setName] = useState(initial?.name ?? "");
  const [templateName, setTemplateName] = useState(initial?.templateName ?? "");
  const [language, setLanguage] = useState<string | null>(initial?.language ?? null);
  const [sources, setSources] = useState<Source[]>(initial?.parameters ?? []);
  const [audienceKind, setAudienceKind] = useState<AudienceKind>(initial?.audience.kind ?? "all");
  const [tag, setTag] = useState(initial?.audience.kind === "tag" ? initial.audience.tag : "");
  const [csv, setCsv] = useState<{ fileName: string; phones: string[] } | null>(
    initial?.audience.kind === "csv" ? { fileName: initial.audience.fileName, phones: initial.audience.phones } : null,
  );
  const [when, setWhen] = useState<"now" | "later">(initial?.scheduled ? "later" : "now");
  const [schedule, setSchedule] = useState<WallTime | null>(initial?.schedule ?? null);

  const template = templates.find((tpl) => tpl.name === templateName);
  const version =
    template?.languages.find((l) => l.language === language) ?? template?.languages.find((l) => l.language === template.defaultLanguage);

  function chooseTemplate(next: string, nextLanguage: string | null = null) {
    setTemplateName(next);
    setLanguage(nextLanguage);
    const tpl = templates.find((x) => x.name === next);
    const v = tpl?.languages.find((l) => l.language === (nextLanguage ?? tpl.defaultLanguage));
    setSources(
      (v?.blanks ?? []).map((b, i): Source =>
        i === 0 && (b.kind === "customerName" || b.kind === "supplier" || b.kind === "text")
          ? { kind: "field", field: "name" }
          : { kind: "fixed", value: "" },
      ),
    );
  }

  const start = when === "later" ? (schedule ?? suggestedStart(timeZone)) : null;
  const startsAt = start ? instantOf(start, timeZone) : null;
  const draft: Draft | null =
    template && version
      ? {
          name: name.trim() || `${template.name} ${format.dateTime(new Date(), { dateStyle: "short" })}`,
          templateName: template.name,
          language: version.language,
          parameters: sources,
          audience:
            audienceKind === "tag" ? { kind: "tag", tag } : audienceKind === "csv" && csv ? { kind: "csv", ...csv } : { kind: "all" },
          ...(start ? { schedule: start } : {}),
        }
      : null;

  const [previewFor, setPreviewFor] = useState<Draft | null>(null);
  const preview = api.broadcasts.preview.useQuery(previewFor!, { enabled: previewFor !== null, retry: false });
  const create = api.broadcasts.create.useMutation();
  const startNow = api.broadcasts.start.useMutation();
  const update = api.broadcasts.update.useMutation();
  const busy = create.isPending || startNow.isPending || update.isPending;

  async function go() {
    if (!previewFor) return;
    if (editing) {
      try {
        await update.mutateAsync({ broadcastId: editing.broadcastId, draft: previewFor });
        toast("success", t("form.saved"));
        await Promise.all([
          utils.broadcasts.progress.invalidate({ broadcastId: editing.broadcastId }),
          utils.broadcasts.draft.invalidate({ broadcastId: editing.broadcastId }),
          utils.broadcasts.list.invalidate(),
        ]);
        editing.onDone();
      } catch (error) {
        toast("error", t("form.notSaved", { reason: errorText(error as Parameters<typeof errorText>[0]) }));
      }
      return;
    }
    try {
      const created = await create.mutateAsync(previewFor);
      if (!previewFor.schedule) await startNow.mutateAsync({ broadcastId: created.id });
      else toast("success", t("form.scheduled"));
      router.push(`/broadcasts/${created.id}`);
    } catch (error) {
      toast("error", t("form.notStarted", { reason: errorText(error as Parameters<typeof errorText>[0]) }));
    }
  }

  const sampleName = t("form.sampleName", { bakery: scheduling.data?.name ?? "" });
  const sourceValue = (source: Source | undefined) =>
    !source
      ? undefined
      : source.kind === "fixed"
        ? source.value
        : `[${source.field === "name" ? t("form.source.name") : t("form.source.phone")}]`;

  return (
    <Card title={editing ? t("form.editTitle") : t("form.title")} description={editing ? t("form.editDescription") : t("form.description")}>
      <div className="space-y-4">
        {choices.error && (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="broadcast-problem">
            {errorText(choices.error)}
          </p>
        )}
        <div>
          <label htmlFor={`${ids}-name`} className={labelText}>
            {t("form.name")}
          </label>
          <input id={`${ids}-name`} className={input} value={name} onChange={(e) => setName(e.target.value)} placeholder={sampleName} />
        </div>

        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={`${ids}-template`} className={labelText}>
              {t("form.template")}
            </label>
            <select id={`${ids}-template`} className={input} value={templateName} onChange={(e) => chooseTemplate(e.target.value)}>
              <option value="">{templates.length ? t("form.chooseTemplate") : t("form.noTemplates")}</option>
              {templates.map((tpl) => (
                <option key={tpl.name} value={tpl.name}>
                  {tpl.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-language`} className={labelText}>
              {t("form.language")}
            </label>
            <select
              id={`${ids}-language`}
              className={input}
              value={version?.language ?? ""}
              disabled={!template || template.languages.length < 2}
              onChange={(e) => chooseTemplate(templateName, e.target.value)}
            >
              {!template && <option value="">—</option>}
              {template?.languages.map((l) => (
                <option key={l.language} value={l.language}>
                  {languageName(l.language)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {template && version && (
          <p className="text-sm text-stone-700" data-testid="template-language-note">
            {template.differsFromBakery && choices.data
              ? t("form.onlyIn", {
                  bakeryLanguage: languageName(choices.data.bakeryLanguage),
                  languages: template.languages.map((l) => languageName(l.language)).join(", "),
                  language: languageName(version.language),
                })
              : t("form.sentIn", { language: languageName(version.language) })}
          </p>
        )}

        {version && sources.length > 0 && (
          <fieldset className="space-y-3 text-sm">
            <legend className="font-medium text-stone-800">{t("form.blanks")}</legend>
            {version.blanks.map((blank, i) => {
              const source = sources[i];
              const label = blankLabel(blank, i);
              return (
                <div
                  key={`${version.language}-${blank.placeholder}`}
                  className="grid gap-2 sm:grid-cols-[8rem_minmax(13rem,1fr)_1fr] sm:items-center"
                >
                  <span className="font-medium text-stone-700">{label}</span>
                  <select
                    aria-label={t("form.sourceOf", { blank: label })}
                    className={input}
                    value={!source || source.kind === "fixed" ? "fixed" : source.field}
                    onChange={(e) =>
                      setSources(
                        sources.map((s, j) =>
                          j !== i
                            ? s
                            : e.target.value === "fixed"
                              ? { kind: "fixed", value: "" }
                              : { kind: "field", field: e.target.value as "name" | "phone" },
                        ),
                      )
                    }
                  >
                    <option value="name">{t("form.source.name")}</option>
                    <option value="phone">{t("form.source.phone")}</option>
                    <option value="fixed">{t("form.source.fixed")}</option>
                  </select>
                  {source?.kind === "fixed" ? (
                    <input
                      aria-label={t("form.textOf", { blank: label })}
                      className={input}
                      placeholder={blank.example ? t("form.example", { example: blank.example }) : undefined}
                      value={source.value}
                      onChange={(e) => setSources(sources.map((s, j) => (j === i ? { kind: "fixed", value: e.target.value } : s)))}
                    />
                  ) : (
                    <span className="text-stone-600">{t("form.perContact")}</span>
                  )}
                </div>
              );
            })}
          </fieldset>
        )}
        {version && (
          <PreviewBubble
            testId="broadcast-live-preview"
            bodyText={version.bodyText}
            parameterNames={version.parameterNames}
            values={version.parameterNames.map((_, i) => sourceValue(sources[i]))}
            missing={(i) => blankLabel(version.blanks[i]!, i)}
          />
        )}

        <fieldset className="space-y-2 text-sm">
          <legend className="font-medium text-stone-800">{t("form.audience")}</legend>
          {(["all", "tag", "csv"] as const).map((kind) => (
            <label key={kind} className="flex min-h-11 items-center gap-2">
              <input type="radio" name={`${ids}-audience`} checked={audienceKind === kind} onChange={() => setAudienceKind(kind)} />
              {t(`form.audienceKind.${kind}`)}
            </label>
          ))}
          {audienceKind === "tag" && (
            <input
              aria-label={t("form.tag")}
              className={input}
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              placeholder={t("form.tagPlaceholder")}
            />
          )}
          {audienceKind === "csv" && (
            // the browser's own file button speaks the browser's language: a button of ours, in the user's
            <div className="flex flex-wrap items-center gap-3">
              <label className="inline-flex min-h-11 cursor-pointer items-center rounded-md border border-stone-300 bg-white px-4 py-2 font-medium hover:bg-stone-50 focus-within:ring-2 focus-within:ring-emerald-600">
                {t("form.chooseFile")}
                <input
                  aria-label={t("form.csv")}
                  type="file"
                  accept=".csv,text/csv"
                  className="sr-only"
                  onChange={async (e) => {
                    const file = e.target.files?.[0];
                    if (file) setCsv({ fileName: file.name, phones: phonesFromCsv(await file.text()) });
                  }}
                />
              </label>
              <span className="break-all text-stone-700" data-testid="csv-file-name">
                {csv ? csv.fileName : t("form.noFile")}
              </span>
            </div>
          )}
          <p className="text-stone-600">{t("form.alwaysLeftOut")}</p>
        </fieldset>

        <fieldset className={`space-y-2 text-sm ${editing && !initial?.scheduled ? "hidden" : ""}`}>
          <legend className="font-medium text-stone-800">{t("form.when")}</legend>
          <label className={`flex min-h-11 items-center gap-2 ${editing ? "hidden" : ""}`}>
            <input type="radio" name={`${ids}-when`} checked={when === "now"} onChange={() => setWhen("now")} />
            {t("form.whenNow")}
          </label>
          <label className={`flex min-h-11 items-center gap-2 ${editing ? "hidden" : ""}`}>
            <input
              type="radio"
              name={`${ids}-when`}
              checked={when === "later"}
              onChange={() => {
                setWhen("later");
                setSchedule((s) => s ?? suggestedStart(timeZone));
              }}
            />
            {t("form.whenLater")}
          </label>
          {when === "later" && start && (
            <div className="grid gap-3 sm:grid-cols-2">
              <ScheduleFields value={start} onChange={setSchedule} timeZone={timeZone} idPrefix={ids} />
              <p className="text-stone-600 sm:col-span-2" data-testid="schedule-zone">
                {startsAt
                  ? t("form.startsAt", { when: format.dateTime(startsAt, { dateStyle: "full", timeStyle: "short", timeZone }), zone })
                  : t("form.noSuchTime", { zone })}
              </p>
            </div>
          )}
        </fieldset>

        <button
          type="button"
          disabled={!draft}
          onClick={() => setPreviewFor(draft)}
          className="min-h-11 rounded-md border border-stone-300 px-4 py-2 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
        >
          {t("form.check")}
        </button>
        {editing && (
          <button
            type="button"
            onClick={editing.onDone}
            className="ml-2 min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50"
          >
            {t("form.cancelEdit")}
          </button>
        )}

        {preview.error && <p className="rounded-md bg-red-50 p-3 text-sm text-red-800">{errorText(preview.error)}</p>}
        {preview.data && previewFor && (
          <div className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50/40 p-4" data-testid="broadcast-preview">
            <p className="whitespace-pre-line break-words rounded-md bg-white p-3 text-sm text-stone-800 shadow-sm">
              {preview.data.renderedBody}
            </p>
            <p className="text-sm">
              {t.rich("preview.reach", {
                count: preview.data.eligible,
                b: (chunks) => <strong className="text-lg">{chunks}</strong>,
              })}
              {preview.data.sampleRecipient ? ` ${t("preview.shownAs", { name: preview.data.sampleRecipient })}` : ""}
            </p>
            <ul className="text-sm text-stone-700">
              <li>{t("preview.optedOut", { count: preview.data.excludedOptedOut })}</li>
              <li>{t("preview.notOnWhatsApp", { count: preview.data.excludedNotOnWhatsApp })}</li>
              <li>{t("preview.invalid", { count: preview.data.excludedInvalid })}</li>
            </ul>
            <CostEstimate draft={previewFor} />
            <button
              type="button"
              disabled={preview.data.eligible === 0 || busy}
              onClick={go}
              className="min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-900 disabled:opacity-50"
            >
              {busy
                ? editing
                  ? t("form.saving")
                  : t("preview.starting")
                : editing
                  ? t("form.save", { count: preview.data.eligible })
                  : previewFor.schedule && startsAt
                    ? t("preview.schedule", {
                        count: preview.data.eligible,
                        when: format.dateTime(instantOf(previewFor.schedule, timeZone) ?? startsAt, {
                          dateStyle: "medium",
                          timeStyle: "short",
                          timeZone,
                        }),
                      })
                    : t("preview.send", { count: preview.data.eligible })}
            </button>
          </div>
        )}
      </div>
    </Card>
  );
}
