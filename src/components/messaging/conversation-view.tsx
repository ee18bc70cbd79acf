"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { dateTime } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { MessageStatusBadge } from "@/components/messaging/status-badge";
import { api } from "@/trpc/react";

export function ConversationView({ contactId }: { contactId: string }) {
  const toast = useToast();
  const utils = api.useUtils();
  const conversation = api.messages.conversation.useQuery({ contactId }, { refetchInterval: 3000 });
  const templates = api.templates.list.useQuery(undefined, { retry: false });
  const [text, setText] = useState("");
  const [templateName, setTemplateName] = useState("po_notification");
  const [params, setParams] = useState<string[]>([]);
  const onError = (e: { message: string }) => toast("error", e.message);
  const onSuccess = () => {
    toast("success", "Sent to WhatsApp.");
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

  if (!conversation.data) return <p className="text-sm text-stone-500">{conversation.error ? conversation.error.message : "Loading…"}</p>;
  const { contact, window, messages } = conversation.data;
  const approved = (templates.data ?? []).filter((t) => t.status === "APPROVED");
  const chosen = approved.find((t) => t.name === templateName) ?? approved[0];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{contact.name ?? contact.phoneE164}</h2>
        <span className="font-mono text-sm text-stone-500">{contact.phoneE164}</span>
        {contact.optedIn ? <Badge tone="green">Opted in</Badge> : <Badge tone="red">Not opted in: nothing can be sent</Badge>}
        {contact.notOnWhatsAppAt && <Badge tone="yellow">Not on WhatsApp</Badge>}
      </div>
      <div
        data-testid="window-state"
        className={`rounded-lg px-4 py-3 text-sm ${window.open ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
      >
        {window.open ? (
          <>
            Reply window open until <strong>{dateTime(window.expiresAt!)}</strong>: you can write freely.
          </>
        ) : (
          <>
            Reply window closed{window.expiredAt ? ` since ${dateTime(window.expiredAt)}` : " (they have not written to you yet)"}: only an
            approved template can be sent. It reopens for 24 hours when they write.
          </>
        )}
      </div>

      <div className="space-y-2 rounded-xl border border-stone-200 bg-stone-50 p-4" data-testid="conversation">
        {messages.length === 0 && <p className="text-sm text-stone-500">No messages with this contact yet.</p>}
        {messages.map((m) => (
          <div key={m.id} className={`flex ${m.direction === "OUTBOUND" ? "justify-end" : "justify-start"}`}>
            <div
              className={`max-w-md rounded-lg px-3 py-2 text-sm shadow-sm ${m.direction === "OUTBOUND" ? "bg-emerald-100" : "bg-white"}`}
            >
              <div>
                {m.templateName ? (
                  <>
                    <span className="font-mono text-xs">{m.templateName}</span>: {m.parameters.join(" · ")}
                  </>
                ) : (
                  m.body
                )}
              </div>
              <div className="mt-1 flex items-center justify-end gap-2 text-xs text-stone-500">
                {dateTime(m.createdAt)} {m.direction === "OUTBOUND" && <MessageStatusBadge status={m.status} />}
              </div>
              {m.explanation && <p className="mt-1 text-xs text-red-800">{m.explanation}</p>}
            </div>
          </div>
        ))}
      </div>

      {window.open ? (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            sendText.mutate({ contactId, body: text });
          }}
        >
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Write a reply"
            className="flex-1 rounded-md border border-stone-300 px-3 py-2 text-sm"
            required
          />
          <button
            type="submit"
            disabled={sendText.isPending}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
          >
            Send
          </button>
        </form>
      ) : null}
      <Card title="Send a template" description="Templates can be sent at any time to contacts who opted in.">
        {approved.length === 0 ? (
          <p className="text-sm text-stone-500">No approved templates yet: see Templates.</p>
        ) : (
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (chosen)
                sendTemplate.mutate({
                  contactId,
                  templateName: chosen.name,
                  language: chosen.language,
                  parameters: params.slice(0, chosen.parameterNames.length),
                });
            }}
          >
            <select
              value={chosen ? `${chosen.name}|${chosen.language}` : ""}
              onChange={(e) => {
                setTemplateName(e.target.value.split("|")[0] ?? "");
                setParams([]);
              }}
              className="rounded-md border border-stone-300 px-2 py-1.5 text-sm"
            >
              {approved.map((t) => (
                <option key={t.id} value={`${t.name}|${t.language}`}>
                  {t.name} ({t.language})
                </option>
              ))}
            </select>
            {chosen?.parameterNames.map((name, i) => (
              <input
                key={name}
                placeholder={`{{${name}}}`}
                value={params[i] ?? ""}
                onChange={(e) => {
                  const next = [...params];
                  next[i] = e.target.value;
                  setParams(next);
                }}
                className="w-40 rounded-md border border-stone-300 px-2 py-1.5 text-sm"
                required
              />
            ))}
            <button
              type="submit"
              disabled={sendTemplate.isPending}
              className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
            >
              Send template
            </button>
          </form>
        )}
      </Card>
    </div>
  );
}
