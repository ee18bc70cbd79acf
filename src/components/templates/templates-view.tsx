"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { SupportLink } from "@/components/settings/support-link";
import { messageLanguages, languageLabel } from "@/lib/languages";
import { api } from "@/trpc/react";
import { useErrorMessage } from "@/components/ui/use-error-message";

const statusTone: Record<string, BadgeTone> = { APPROVED: "green", PENDING: "yellow", REJECTED: "red", PAUSED: "yellow", DISABLED: "red" };
const knownStatuses = new Set(Object.keys(statusTone));

const mainButton = "min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900 disabled:opacity-50";

/**
 * The bakery's templates. Without a number there is nothing to read: the page says so (and how to get one)
 * and never asks for the templates, instead of failing over and over.
 */
export function TemplatesView() {
  const t = useTranslations("templates");
  const errorMessage = useErrorMessage();
  const settings = api.settings.whatsapp.useQuery();
  if (settings.error) {
    return (
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="alert">
        {t("loadFailed", { message: errorMessage(settings.error) })}
      </p>
    );
  }
  if (!settings.data) return <p className="text-sm text-stone-700">{t("loading")}</p>;
  if (settings.data.sendingState === "NO_NUMBER") return <NoNumber />;
  return <Templates />;
}

function NoNumber() {
  const t = useTranslations("templates.noNumber");
  return (
    <section
      className="rounded-xl border border-amber-300 bg-amber-50 px-5 py-4 text-amber-950"
      data-testid="templates-no-number"
      role="status"
    >
      <h2 className="text-base font-semibold">{t("title")}</h2>
      <p className="mt-1 text-sm">{t("body")}</p>
      <p className="mt-2 text-sm">
        {t("what")} <SupportLink subject={t("subject")} />
      </p>
    </section>
  );
}

function Templates() {
  const t = useTranslations("templates");
  const errorMessage = useErrorMessage();
  const format = useFormatter();
  const toast = useToast();
  const utils = api.useUtils();
  // a refusal (e.g. the number was just taken away) is shown once, not asked again every 10 s
  const templates = api.templates.list.useQuery(undefined, {
    retry: false,
    refetchInterval: (query) => (query.state.error ? false : 10_000),
  });
  const sync = api.templates.sync.useMutation({
    onSuccess: (r) => {
      toast("success", t("synced", { count: r.synced }));
      void utils.templates.list.invalidate();
    },
    onError: (e) => toast("error", t("syncFailed", { message: e.message })),
  });
  const [form, setForm] = useState({
    name: "",
    language: "es",
    category: "UTILITY" as "UTILITY" | "MARKETING",
    bodyText: "",
    examples: "",
  });
  const create = api.templates.create.useMutation({
    onSuccess: (created) => {
      toast("success", t("create.sent", { name: created.name }));
      setForm({ ...form, name: "", bodyText: "", examples: "" });
      void utils.templates.list.invalidate();
    },
    onError: (e) => toast("error", t("create.failed", { message: e.message })),
  });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-stone-700">{t("intro")}</p>
        <button
          type="button"
          onClick={() => sync.mutate()}
          disabled={sync.isPending}
          className="min-h-11 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm disabled:opacity-50"
        >
          {sync.isPending ? t("reading") : t("refresh")}
        </button>
      </div>
      {templates.error && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="templates-problem" role="alert">
          {templates.error.data?.appCode === "NO_PHONE_NUMBER_ASSIGNED"
            ? t("noNumber.body")
            : t("loadFailed", { message: errorMessage(templates.error) })}
        </p>
      )}
      {templates.data && templates.data.length === 0 && (
        <EmptyState title={t("empty.title")} icon="✎">
          {t("empty.hint")}
        </EmptyState>
      )}
      {templates.data && templates.data.length > 0 && (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          {/* a table from 768 px; below, stacked cards that keep the status visible */}
          <table className="block w-full text-sm md:table" data-testid="templates-table">
            <thead className="hidden bg-stone-50 text-left text-stone-700 md:table-header-group">
              <tr>
                <th className="px-4 py-2">{t("table.template")}</th>
                <th className="px-4 py-2">{t("table.language")}</th>
                <th className="px-4 py-2">{t("table.text")}</th>
                <th className="px-4 py-2">{t("table.status")}</th>
              </tr>
            </thead>
            <tbody className="block divide-y divide-stone-100 md:table-row-group">
              {templates.data.map((tpl) => {
                const known = knownStatuses.has(tpl.status);
                const categoryWord = (category: string) =>
                  t(`category.${category === "MARKETING" ? "MARKETING" : category === "UTILITY" ? "UTILITY" : "OTHER"}`);
                return (
                  <tr key={tpl.id} className="grid gap-2 px-4 py-3 md:table-row md:p-0 md:align-top" data-testid="template-row">
                    <td className="md:px-4 md:py-2">
                      <span className="break-all font-mono">{tpl.name}</span>
                      <div className="text-xs text-stone-700">
                        {tpl.category
                          ? t(`category.${tpl.category === "MARKETING" ? "MARKETING" : tpl.category === "UTILITY" ? "UTILITY" : "OTHER"}`)
                          : null}
                        {tpl.platform ? ` · ${t("table.platform")}` : ""}
                      </div>
                      {tpl.previousCategory && tpl.category && tpl.previousCategory !== tpl.category && (
                        <div className="text-xs text-amber-800" data-testid="template-recategorised">
                          {t("recategorised", { from: categoryWord(tpl.previousCategory), to: categoryWord(tpl.category) })}
                        </div>
                      )}
                      {tpl.qualityScore && tpl.qualityScore !== "UNKNOWN" && (
                        <div className="text-xs text-stone-700" data-testid="template-quality">
                          {t(
                            `quality.${tpl.qualityScore === "GREEN" || tpl.qualityScore === "YELLOW" || tpl.qualityScore === "RED" ? tpl.qualityScore : "OTHER"}`,
                          )}
                        </div>
                      )}
                    </td>
                    <td className="md:px-4 md:py-2">
                      <span className="md:hidden">{t("table.language")}: </span>
                      {languageLabel(tpl.language)}
                    </td>
                    <td className="md:px-4 md:py-2">
                      <div className="max-w-md">{tpl.bodyText ?? <span className="text-stone-600">—</span>}</div>
                      <div className="text-xs text-stone-700">
                        {t("table.blanks", { count: tpl.parameterNames.length })}
                        {tpl.parameterNames.length ? `: ${tpl.parameterNames.map((n) => `{{${n}}}`).join(", ")}` : ""}
                      </div>
                    </td>
                    <td className="md:px-4 md:py-2">
                      <Badge tone={statusTone[tpl.status] ?? "gray"}>
                        {known ? t(`status.${tpl.status}.label`) : t("status.other.label")}
                      </Badge>
                      <p className="mt-1 max-w-xs text-xs text-stone-700">
                        {tpl.status === "REJECTED" && tpl.rejectedReason ? `${t("rejectedReason", { reason: tpl.rejectedReason })} ` : ""}
                        {known ? t(`status.${tpl.status}.hint`) : t("status.other.hint")}
                      </p>
                      <p className="text-xs text-stone-700" data-testid="template-updated">
                        {t("updated", { when: format.relativeTime(tpl.updatedAt) })}
                      </p>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {!templates.error && (
        <Card title={t("create.title")} description={t("create.description", { blanks: "{{1}}, {{2}}, …" })}>
          <form
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({
                name: form.name,
                language: form.language as "es",
                category: form.category,
                bodyText: form.bodyText,
                examples: form.examples
                  .split(",")
                  .map((s) => s.trim())
                  .filter(Boolean),
              });
            }}
          >
            <label className="text-sm">
              {t("create.name")}
              <input
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                placeholder={t("placeholder.templateName")}
                className="mt-1 block min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5 font-mono"
                required
              />
            </label>
            <div className="flex flex-wrap gap-3">
              <label className="text-sm">
                {t("create.language")}
                <select
                  value={form.language}
                  onChange={(e) => setForm({ ...form, language: e.target.value })}
                  className="mt-1 block min-h-11 rounded-md border border-stone-300 bg-white px-2 py-1.5"
                >
                  {messageLanguages.map((l) => (
                    <option key={l.code} value={l.code}>
                      {l.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm">
                {t("create.kind")}
                <select
                  value={form.category}
                  onChange={(e) => setForm({ ...form, category: e.target.value as "UTILITY" })}
                  className="mt-1 block min-h-11 rounded-md border border-stone-300 bg-white px-2 py-1.5"
                >
                  <option value="UTILITY">{t("create.utility")}</option>
                  <option value="MARKETING">{t("create.marketing")}</option>
                </select>
              </label>
            </div>
            <label className="text-sm sm:col-span-2">
              {t("create.text")}
              <textarea
                value={form.bodyText}
                onChange={(e) => setForm({ ...form, bodyText: e.target.value })}
                placeholder={t("create.textPlaceholder", { first: "{{1}}", second: "{{2}}" })}
                rows={3}
                className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-1.5"
                required
              />
            </label>
            <label className="text-sm sm:col-span-2">
              {t("create.examples")}
              <input
                value={form.examples}
                onChange={(e) => setForm({ ...form, examples: e.target.value })}
                placeholder={t("placeholder.examples")}
                className="mt-1 block min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5"
              />
            </label>
            <div>
              <button type="submit" disabled={create.isPending} className={mainButton}>
                {t("create.submit")}
              </button>
            </div>
          </form>
        </Card>
      )}
    </div>
  );
}
