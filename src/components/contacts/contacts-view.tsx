"use client";

import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { downloadFile } from "@/components/ui/download";
import { ContactImport } from "@/components/contacts/contact-import";
import { ContactPrivacy } from "@/components/contacts/contact-privacy";
import { ContactTags } from "@/components/contacts/contact-tags";
import { OptInDialog } from "@/components/contacts/opt-in-dialog";
import { contactErrorText, type ServerError } from "@/components/contacts/contact-errors";
import type { OptInMethod } from "@/lib/consent";
import { isLocale } from "@/i18n/locales";
import { api, type RouterOutputs } from "@/trpc/react";

const filters = ["all", "opted_in", "opted_out", "not_on_whatsapp"] as const;
type Contact = RouterOutputs["contacts"]["list"]["contacts"][number];

const mainButton = "min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900 disabled:opacity-50";
const secondaryButton =
  "min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50 disabled:opacity-50";

export function ContactsView() {
  const t = useTranslations("contacts");
  const locale = useLocale();
  const format = useFormatter();
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState<(typeof filters)[number]>("all");
  const [tagFilter, setTagFilter] = useState("");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [optInFor, setOptInFor] = useState<Contact | null>(null);
  const toast = useToast();
  const utils = api.useUtils();
  const contacts = api.contacts.list.useQuery({ search: search || undefined, filter, tag: tagFilter || undefined, page });
  const tags = api.contacts.tags.useQuery();
  const refresh = () => {
    void utils.contacts.list.invalidate();
    void utils.contacts.tags.invalidate();
  };
  const errorText = (e: ServerError) => contactErrorText(t, locale, e);
  const setConsent = api.contacts.setConsent.useMutation({
    onSuccess: (_r, input) => {
      const c = contacts.data?.contacts.find((x) => x.id === input.contactId);
      const name = c?.name ?? c?.phoneE164 ?? "";
      toast("success", input.optedIn ? t("status.optedInSaved", { name }) : t("status.optedOutSaved", { name }));
      setOptInFor(null);
      refresh();
    },
    onError: (e) => toast("error", errorText(e)),
  });
  const exportCsv = api.contacts.exportCsv.useMutation({
    onSuccess: (file) => downloadFile(file),
    onError: (e) => toast("error", errorText(e)),
  });

  const data = contacts.data;
  const pageIds = data?.contacts.map((c) => c.id) ?? [];
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap justify-end gap-3">
        <button
          type="button"
          className={secondaryButton}
          data-testid="contacts-export"
          disabled={exportCsv.isPending}
          onClick={() => exportCsv.mutate({ locale: isLocale(locale) ? locale : undefined })}
        >
          {exportCsv.isPending ? t("export.busy") : t("export.button")}
        </button>
      </div>

      <ContactImport onDone={refresh} />
      <AddContact onAdded={refresh} />

      <div className="flex flex-wrap items-center gap-3">
        <input
          type="search"
          aria-label={t("filters.search")}
          placeholder={t("filters.searchPlaceholder")}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          className="min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5 text-sm sm:w-72"
        />
        <div className="flex flex-wrap gap-1" role="group" aria-label={t("filters.label")}>
          {filters.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => {
                setFilter(f);
                setPage(1);
              }}
              className={`min-h-11 rounded-full px-3 py-1 text-sm ${filter === f ? "bg-stone-900 text-white" : "bg-stone-100 text-stone-800"}`}
            >
              {t(`filters.${f}`)}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm text-stone-800">
          {t("filters.tag")}
          <select
            value={tagFilter}
            onChange={(e) => {
              setTagFilter(e.target.value);
              setPage(1);
            }}
            className="min-h-11 rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm"
            data-testid="tag-filter"
          >
            <option value="">{t("filters.anyTag")}</option>
            {tags.data?.map((tag) => (
              <option key={tag.tag} value={tag.tag}>
                {tag.tag} ({format.number(tag.contacts)})
              </option>
            ))}
          </select>
        </label>
        {data && (
          <span className="text-sm text-stone-700" data-testid="contacts-total">
            {t("filters.total", { count: data.total })}
          </span>
        )}
      </div>

      {selected.size > 0 && (
        <BulkTags
          contactIds={[...selected]}
          onDone={() => {
            setSelected(new Set());
            refresh();
          }}
          onClear={() => setSelected(new Set())}
        />
      )}

      {data && data.contacts.length === 0 ? (
        <EmptyState title={search || filter !== "all" || tagFilter ? t("empty.noMatch") : t("empty.none")} icon="☺">
          {t("empty.hint")}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          {/* a table from 768 px; below, each row is a stacked card (status and tags stay visible) */}
          <table className="block w-full text-sm md:table" data-testid="contacts-table">
            <thead className="hidden bg-stone-50 text-left text-stone-700 md:table-header-group">
              <tr>
                <th className="w-10 px-4 py-2">
                  <input
                    type="checkbox"
                    aria-label={t("table.selectAll")}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set([...selected, ...pageIds]))}
                    className="h-4 w-4 accent-brand-700"
                  />
                </th>
                <th className="px-4 py-2">{t("table.name")}</th>
                <th className="px-4 py-2">{t("table.consent")}</th>
                <th className="px-4 py-2">{t("table.tags")}</th>
                <th className="px-4 py-2">{t("table.lastInbound")}</th>
                <th className="px-4 py-2 text-right">{t("table.actions")}</th>
              </tr>
            </thead>
            <tbody className="block divide-y divide-stone-100 md:table-row-group">
              {data?.contacts.map((c) => {
                const label = c.name ?? c.phoneE164;
                return (
                  <tr
                    key={c.id}
                    className="grid grid-cols-[2rem_1fr] gap-x-2 gap-y-2 px-4 py-3 md:table-row md:p-0"
                    data-testid="contact-row"
                  >
                    <td className="md:px-4 md:py-2 md:align-top">
                      <input
                        type="checkbox"
                        aria-label={t("table.selectOne", { name: label })}
                        checked={selected.has(c.id)}
                        onChange={() => toggle(c.id)}
                        className="h-5 w-5 accent-brand-700 md:h-4 md:w-4"
                      />
                    </td>
                    <td className="md:px-4 md:py-2 md:align-top">
                      <div className="font-medium">{c.name ?? <span className="text-stone-600">{t("table.noName")}</span>}</div>
                      <div className="font-mono text-stone-700">{c.phoneE164}</div>
                    </td>
                    <td className="col-start-2 md:px-4 md:py-2 md:align-top">
                      <div className="flex flex-wrap items-center gap-2">
                        {c.optedIn ? (
                          <Badge tone="green">{t("status.optedIn")}</Badge>
                        ) : (
                          <Badge tone={c.optedOutAt ? "red" : "gray"}>{c.optedOutAt ? t("status.optedOut") : t("status.notAsked")}</Badge>
                        )}
                        {c.notOnWhatsAppAt && <Badge tone="yellow">{t("status.notOnWhatsApp")}</Badge>}
                        <button
                          type="button"
                          className="min-h-11 text-xs text-brand-700 underline md:min-h-0"
                          onClick={() => (c.optedIn ? setConsent.mutate({ contactId: c.id, optedIn: false }) : setOptInFor(c))}
                        >
                          {c.optedIn ? t("status.recordOptOut") : t("status.recordOptIn")}
                        </button>
                      </div>
                    </td>
                    <td className="col-start-2 md:px-4 md:py-2 md:align-top">
                      <span className="sr-only md:hidden">{t("table.tags")}: </span>
                      <ContactTags contact={c} onChanged={refresh} />
                    </td>
                    <td className="col-start-2 text-stone-700 md:px-4 md:py-2 md:align-top">
                      <span className="md:hidden">{t("table.lastInbound")}: </span>
                      {c.lastInboundAt ? format.relativeTime(c.lastInboundAt) : t("table.never")}
                    </td>
                    <td className="col-start-2 md:px-4 md:py-2 md:text-right md:align-top">
                      <div className="flex flex-wrap items-center gap-3 md:flex-col md:items-end md:gap-1">
                        <Link href={`/messages/${c.id}`} className="inline-flex min-h-11 items-center text-brand-700 underline md:min-h-0">
                          {t("table.conversation")}
                        </Link>
                        <ContactPrivacy contact={c} onErased={refresh} />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > data.pageSize && (
        <div className="flex items-center justify-end gap-3 text-sm">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} className={secondaryButton}>
            {t("pager.previous")}
          </button>
          <span>{t("pager.page", { page, pages: Math.ceil(data.total / data.pageSize) })}</span>
          <button
            type="button"
            disabled={page >= Math.ceil(data.total / data.pageSize)}
            onClick={() => setPage(page + 1)}
            className={secondaryButton}
          >
            {t("pager.next")}
          </button>
        </div>
      )}
      <OptInDialog
        key={optInFor?.id ?? "none"}
        name={optInFor ? (optInFor.name ?? optInFor.phoneE164) : ""}
        open={optInFor !== null}
        busy={setConsent.isPending}
        onCancel={() => setOptInFor(null)}
        onConfirm={(method: OptInMethod) => optInFor && setConsent.mutate({ contactId: optInFor.id, optedIn: true, method })}
      />
    </div>
  );
}

function AddContact({ onAdded }: { onAdded: () => void }) {
  const t = useTranslations("contacts");
  const locale = useLocale();
  const toast = useToast();
  const [phone, setPhone] = useState("");
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [phoneProblem, setPhoneProblem] = useState<string | null>(null);
  const [tagsProblem, setTagsProblem] = useState<string | null>(null);
  const updateTags = api.contacts.updateTags.useMutation();
  const create = api.contacts.create.useMutation({
    onSuccess: async (c) => {
      const list = tags
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (list.length) {
        try {
          await updateTags.mutateAsync({ contactIds: [c.id], add: list });
        } catch (e) {
          setTagsProblem(contactErrorText(t, locale, e as ServerError));
        }
      }
      toast("success", t("add.added", { name: c.name ?? c.phoneE164 }));
      setPhone("");
      setName("");
      setTags("");
      onAdded();
    },
    onError: (e) => {
      // a bad number is said next to the field, with an example: not only in a toast
      if (e.data?.appCode === "INVALID_PHONE_FORMAT" || e.data?.fieldErrors) setPhoneProblem(contactErrorText(t, locale, e));
      else toast("error", contactErrorText(t, locale, e));
    },
  });
  return (
    <Card title={t("add.title")} description={t("add.description")}>
      <form
        className="grid gap-3 sm:flex sm:flex-wrap sm:items-start"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTagsProblem(null);
          if (!phone.trim()) {
            setPhoneProblem(t("add.phoneRequired", { example: "+34 612 34 56 78" }));
            return;
          }
          setPhoneProblem(null);
          create.mutate({ phone, name: name || undefined, optedIn: true });
        }}
      >
        <label className="text-sm sm:w-56">
          <span className="block text-stone-700">{t("add.phone")}</span>
          <input
            value={phone}
            onChange={(e) => {
              setPhone(e.target.value);
              setPhoneProblem(null);
            }}
            inputMode="tel"
            autoComplete="tel"
            placeholder="+34 612 345 678"
            aria-invalid={phoneProblem ? true : undefined}
            aria-describedby={phoneProblem ? "add-phone-problem" : undefined}
            className={`mt-1 min-h-11 w-full rounded-md border px-3 py-1.5 ${phoneProblem ? "border-red-600" : "border-stone-300"}`}
          />
          {phoneProblem && (
            <span id="add-phone-problem" role="alert" className="mt-1 block text-sm text-red-800" data-testid="phone-problem">
              {phoneProblem}
            </span>
          )}
        </label>
        <label className="text-sm sm:w-56">
          <span className="block text-stone-700">{t("add.name")}</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t("placeholder.name")}
            className="mt-1 min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5"
          />
        </label>
        <label className="text-sm sm:w-64">
          <span className="block text-stone-700">{t("add.tags")}</span>
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder={t("add.tagsPlaceholder")}
            aria-invalid={tagsProblem ? true : undefined}
            aria-describedby={tagsProblem ? "add-tags-problem" : undefined}
            className="mt-1 min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5"
          />
          {tagsProblem && (
            <span id="add-tags-problem" role="alert" className="mt-1 block text-sm text-red-800">
              {tagsProblem}
            </span>
          )}
        </label>
        <button type="submit" disabled={create.isPending} className={`${mainButton} sm:mt-6`}>
          {t("add.submit")}
        </button>
      </form>
    </Card>
  );
}

function BulkTags({ contactIds, onDone, onClear }: { contactIds: string[]; onDone: () => void; onClear: () => void }) {
  const t = useTranslations("contacts");
  const locale = useLocale();
  const toast = useToast();
  const [tag, setTag] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const update = api.contacts.updateTags.useMutation({
    onSuccess: (r, input) => {
      const added = input.add?.length ?? 0;
      toast(
        "success",
        added ? t("bulk.added", { tag: tag.trim(), count: r.updated }) : t("bulk.removed", { tag: tag.trim(), count: r.updated }),
      );
      setTag("");
      setProblem(null);
      onDone();
    },
    onError: (e) => setProblem(contactErrorText(t, locale, e)),
  });
  return (
    <section
      className="sticky top-2 z-10 flex flex-wrap items-center gap-3 rounded-xl border border-brand-600 bg-brand-50 px-4 py-3"
      aria-label={t("bulk.selected", { count: contactIds.length })}
      data-testid="bulk-tags"
    >
      <strong className="text-sm text-stone-900">{t("bulk.selected", { count: contactIds.length })}</strong>
      <label className="sr-only" htmlFor="bulk-tag">
        {t("bulk.tag")}
      </label>
      <input
        id="bulk-tag"
        value={tag}
        onChange={(e) => setTag(e.target.value)}
        placeholder={t("bulk.tag")}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "bulk-tag-problem" : undefined}
        className="min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 text-sm sm:w-56"
      />
      <button
        type="button"
        className={mainButton}
        disabled={!tag.trim() || update.isPending}
        onClick={() => update.mutate({ contactIds, add: [tag] })}
      >
        {t("bulk.add")}
      </button>
      <button
        type="button"
        className={secondaryButton}
        disabled={!tag.trim() || update.isPending}
        onClick={() => update.mutate({ contactIds, remove: [tag] })}
      >
        {t("bulk.remove")}
      </button>
      <button type="button" className="min-h-11 text-sm text-stone-800 underline" onClick={onClear}>
        {t("bulk.clear")}
      </button>
      {problem && (
        <p id="bulk-tag-problem" role="alert" className="w-full text-sm text-red-800">
          {problem}
        </p>
      )}
    </section>
  );
}
