"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { PreviewBubble, languageName, useBlankLabel } from "@/components/messaging/template-blanks-fields";
import { useAppErrorText } from "@/components/messaging/app-error-text";
import { fillTemplateBody } from "@/lib/template-blanks";
import { api } from "@/trpc/react";

const statusTone: Record<string, BadgeTone> = {
  PENDING: "gray",
  ACCEPTED: "gray",
  SENT: "blue",
  DELIVERED: "blue",
  READ: "green",
  FAILED: "red",
  RECEIVED: "gray",
};
const knownStatuses = Object.keys(statusTone);
const when = { dateStyle: "medium", timeStyle: "short" } as const;

const field = "min-h-11 w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";
const primary = "min-h-11 rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-900 disabled:opacity-50";

export function ConversationView({ contactId }: { contactId: string }) {
  const t = useTranslations("conversation");
  const format = useFormatter();
  const toast = useToast();
  const errorText = useAppErrorText("conversation");
  const blankLabel = useBlankLabel();
  const utils = api.useUtils();
  const ids = useId();
  const conversation = api.messages.conversation.useQuery({ contactId }, { refetchInterval: 3000 });
  const choices = api.messages.templateChoices.useQuery(undefined, { retry: false });
  const [text, setText] = useState("");
  const [templateName, setTemplateName] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [params, setParams] = useState<string[]>([]);
  const onError = (e: Parameters<typeof errorText>[0]) => toast("error", errorText(e));
  const onSuccess = () => {
    toast("success", t("sent"));
    void utils.messages.conversation.invalidate();
  };
  const sendText = api.messages.sendText.useMutation({
    onError,
    onSuccess: () => {
      setText("");
      onSuccess();
    },
  });
  const sendTemplate = api.messages.sendTemplate.useMutation({ onError, onSuccess });

  if (!conversation.data) {
    if (conversation.error?.data?.code === "NOT_FOUND")
      return (
        <div className="rounded-xl border border-stone-200 bg-white p-6" data-testid="not-found">
          <h1 className="text-xl font-semibold text-stone-900">{t("notFound.title")}</h1>
          <p className="mt-2 text-sm text-stone-600">{t("notFound.body")}</p>
        </div>
      );
    return (
      <p className="text-sm text-stone-600" role="status">
        {conversation.error ? errorText(conversation.error) : t("loading")}
      </p>
    );
  }
  const { contact, window, messages } = conversation.data;
  const templates = choices.data?.templates ?? [];
  const chosen = templates.find((tpl) => tpl.name === templateName) ?? templates[0];
  const version =
    chosen?.languages.find((l) => l.language === language) ?? chosen?.languages.find((l) => l.language === chosen.defaultLanguage);
  const bakeryLanguage = choices.data?.bakeryLanguage;
  const bodyOf = (name: string | null, lang: string | null) =>
    templates.find((tpl) => tpl.name === name)?.languages.find((l) => l.language === lang);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-900">{contact.name ?? contact.phoneE164}</h1>
        <span className="font-mono text-sm text-stone-600">{contact.phoneE164}</span>
        {contact.optedIn ? <Badge tone="green">{t("optedIn")}</Badge> : <Badge tone="red">{t("notOptedIn")}</Badge>}
        {contact.notOnWhatsAppAt && <Badge tone="yellow">{t("notOnWhatsApp")}</Badge>}
      </div>
      <div
        data-testid="window-state"
        className={`rounded-lg px-4 py-3 text-sm ${window.open ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
      >
        {window.open
          ? t.rich("window.open", { until: format.dateTime(new Date(window.expiresAt!), when), b: (chunks) => <strong>{chunks}</strong> })
          : window.expiredAt
            ? t("window.closedSince", { since: format.dateTime(new Date(window.expiredAt), when) })
            : t("window.closedNever")}
      </div>

      <section
        aria-label={t("historyLabel")}
        className="space-y-2 rounded-xl border border-stone-200 bg-stone-50 p-3 sm:p-4"
        data-testid="conversation"
      >
        {messages.length === 0 && <p className="text-sm text-stone-600">{t("empty")}</p>}
        {messages.map((m) => {
          const known = bodyOf(m.templateName, m.templateLanguage);
          return (
            <div key={m.id} className={`flex ${m.direction === "OUTBOUND" ? "justify-end" : "justify-start"}`}>
              <div
                className={`max-w-[85%] rounded-lg px-3 py-2 text-sm shadow-sm sm:max-w-md ${m.direction === "OUTBOUND" ? "bg-emerald-100" : "bg-white"}`}
              >
                <div className="whitespace-pre-line break-words">
                  {m.templateName
                    ? known
                      ? fillTemplateBody(known.bodyText, known.parameterNames, m.parameters)
                      : `${m.templateName}: ${m.parameters.join(" · ")}`
                    : m.body}
                </div>
                <div className="mt-1 flex flex-wrap items-center justify-end gap-2 text-xs text-stone-600">
                  {format.dateTime(new Date(m.createdAt), when)}
                  {m.direction === "OUTBOUND" && (
                    <span data-testid="message-status" data-status={m.status}>
                      <Badge tone={statusTone[m.status] ?? "gray"}>
                        {knownStatuses.includes(m.status) ? t(`status.${m.status}`) : m.status}
                      </Badge>
                    </span>
                  )}
                </div>
                {m.status === "FAILED" && <p className="mt-1 text-xs text-red-800">{errorText({ data: { appCode: m.appErrorCode } })}</p>}
              </div>
            </div>
          );
        })}
      </section>

      {window.open ? (
        <form
          className="flex flex-col gap-2 sm:flex-row"
          onSubmit={(e) => {
            e.preventDefault();
            sendText.mutate({ contactId, body: text });
          }}
        >
          <label htmlFor={`${ids}-reply`} className="sr-only">
            {t("reply.label")}
          </label>
          <input
            id={`${ids}-reply`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t("reply.placeholder")}
            className={`${field} flex-1`}
            required
          />
          <button type="submit" disabled={sendText.isPending} className={primary}>
            {t("reply.send")}
          </button>
        </form>
      ) : null}

      <Card title={t("template.title")} description={t("template.description")}>
        {choices.error ? (
          <p className="text-sm text-amber-900">{errorText(choices.error)}</p>
        ) : templates.length === 0 ? (
          <p className="text-sm text-stone-600">{choices.isLoading ? t("loading") : t("template.none")}</p>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (chosen && version)
                sendTemplate.mutate({
                  contactId,
                  templateName: chosen.name,
                  language: version.language,
                  parameters: version.parameterNames.map((_, i) => params[i] ?? ""),
                });
            }}
          >
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor={`${ids}-template`} className="mb-1 block text-sm font-medium text-stone-800">
                  {t("template.label")}
                </label>
                <select
                  id={`${ids}-template`}
                  value={chosen?.name ?? ""}
                  onChange={(e) => {
                    setTemplateName(e.target.value);
                    setLanguage(null);
                    setParams([]);
                  }}
                  className={field}
                >
                  {templates.map((tpl) => (
                    <option key={tpl.name} value={tpl.name}>
                      {tpl.name}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${ids}-language`} className="mb-1 block text-sm font-medium text-stone-800">
                  {t("template.language")}
                </label>
                <select
                  id={`${ids}-language`}
                  value={version?.language ?? ""}
                  onChange={(e) => {
                    setLanguage(e.target.value);
                    setParams([]);
                  }}
                  className={field}
                  disabled={(chosen?.languages.length ?? 0) < 2}
                >
                  {chosen?.languages.map((l) => (
                    <option key={l.language} value={l.language}>
                      {languageName(l.language)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {chosen && version && (
              <p className="text-sm text-stone-700" data-testid="template-language-note">
                {chosen.differsFromBakery && bakeryLanguage
                  ? t("template.onlyIn", {
                      bakeryLanguage: languageName(bakeryLanguage),
                      languages: chosen.languages.map((l) => languageName(l.language)).join(", "),
                      language: languageName(version.language),
                    })
                  : t("template.sentIn", { language: languageName(version.language) })}
              </p>
            )}
            {version && version.blanks.length > 0 && (
              <fieldset className="grid gap-3 sm:grid-cols-2">
                <legend className="mb-1 text-sm font-medium text-stone-800">{t("template.blanks")}</legend>
                {version.blanks.map((blank, i) => (
                  <div key={`${version.language}-${blank.placeholder}`}>
                    <label htmlFor={`${ids}-blank-${i}`} className="mb-1 block text-sm text-stone-700">
                      {blankLabel(blank, i)}
                    </label>
                    <input
                      id={`${ids}-blank-${i}`}
                      placeholder={blank.example ? t("template.example", { example: blank.example }) : undefined}
                      value={params[i] ?? ""}
                      onChange={(e) => {
                        const next = [...params];
                        next[i] = e.target.value;
                        setParams(next);
                      }}
                      className={field}
                      required
                    />
                  </div>
                ))}
              </fieldset>
            )}
            {version && (
              <PreviewBubble
                testId="template-preview"
                bodyText={version.bodyText}
                parameterNames={version.parameterNames}
                values={params}
                missing={(i) => blankLabel(version.blanks[i]!, i)}
              />
            )}
            <button type="submit" disabled={sendTemplate.isPending || !contact.optedIn} className={primary}>
              {t("template.send")}
            </button>
          </form>
        )}
      </Card>
    </div>
  );
}
