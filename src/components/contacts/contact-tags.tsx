"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { contactErrorText } from "@/components/contacts/contact-errors";
import { api } from "@/trpc/react";

/** One contact's tags: each removable, and a small form to add one. */
export function ContactTags({
  contact,
  onChanged,
}: {
  contact: { id: string; name: string | null; phoneE164: string; tags: string[] };
  onChanged: () => void;
}) {
  const t = useTranslations("contacts");
  const locale = useLocale();
  const [adding, setAdding] = useState(false);
  const [tag, setTag] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const label = contact.name ?? contact.phoneE164;
  const update = api.contacts.updateTags.useMutation({
    onSuccess: () => {
      setTag("");
      setAdding(false);
      setProblem(null);
      onChanged();
    },
    onError: (e) => setProblem(contactErrorText(t, locale, e)),
  });
  const inputId = `tag-${contact.id}`;
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="contact-tags">
      {contact.tags.length === 0 && !adding && <span className="text-xs text-stone-600">{t("tags.none")}</span>}
      {contact.tags.map((tagName) => (
        <span
          key={tagName}
          className="inline-flex items-center gap-1 rounded-full bg-sky-50 py-0.5 pl-2.5 pr-1 text-xs font-medium text-sky-900 ring-1 ring-sky-600/20"
          data-testid="tag"
        >
          {tagName}
          <button
            type="button"
            aria-label={t("tags.remove", { tag: tagName })}
            disabled={update.isPending}
            onClick={() => update.mutate({ contactIds: [contact.id], remove: [tagName] })}
            className="inline-flex h-6 w-6 items-center justify-center rounded-full text-sky-900 hover:bg-sky-100"
          >
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) update.mutate({ contactIds: [contact.id], add: [tag] });
          }}
        >
          <label htmlFor={inputId} className="sr-only">
            {t("tags.addTo", { name: label })}
          </label>
          <input
            id={inputId}
            autoFocus
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder={t("tags.newTag")}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${inputId}-problem` : undefined}
            className="w-28 rounded-md border border-stone-300 px-2 py-1 text-xs"
          />
          <button type="submit" disabled={update.isPending} className="rounded-md bg-brand-700 px-2 py-1 text-xs font-medium text-white">
            {t("tags.save")}
          </button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setAdding(true)}
          className="rounded-full border border-dashed border-stone-400 px-2 py-0.5 text-xs text-stone-700 hover:bg-stone-50"
        >
          {/* the accessible name holds the visible words and says whose tags they are */}
          <span aria-hidden="true">+ </span>
          {t("tags.add")}
          <span className="sr-only">{t("tags.forContact", { name: label })}</span>
        </button>
      )}
      {problem && (
        <p id={`${inputId}-problem`} role="alert" className="w-full text-xs text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
