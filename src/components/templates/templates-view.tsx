"use client";

import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { messageLanguages } from "@/lib/languages";
import { api } from "@/trpc/react";

const statusLook: Record<string, { tone: BadgeTone; label: string; hint: string }> = {
  APPROVED: { tone: "green", label: "Approved", hint: "Ready to send." },
  PENDING: { tone: "yellow", label: "In review", hint: "Meta usually reviews within 24–48 hours." },
  REJECTED: { tone: "red", label: "Rejected", hint: "Edit the text and create it again." },
  PAUSED: { tone: "yellow", label: "Paused", hint: "Paused by Meta for low quality; it resumes by itself after a few hours." },
  DISABLED: { tone: "red", label: "Disabled", hint: "Disabled by Meta: create a new template." },
};

export function TemplatesView() {
  const toast = useToast();
  const utils = api.useUtils();
  const templates = api.templates.list.useQuery(undefined, { refetchInterval: 10_000, retry: false });
  const sync = api.templates.sync.useMutation({
    onSuccess: (r) => {
      toast("success", `${r.synced} templates read from WhatsApp.`);
      void utils.templates.list.invalidate();
    },
    onError: (e) => toast("error", e.message),
  });
  const [form, setForm] = useState({
    name: "",
    language: "es",
    category: "UTILITY" as "UTILITY" | "MARKETING",
    bodyText: "",
    examples: "",
  });
  const create = api.templates.create.useMutation({
    onSuccess: (t) => {
      toast("success", `Template ${t.name} sent to Meta for review.`);
      setForm({ ...form, name: "", bodyText: "", examples: "" });
      void utils.templates.list.invalidate();
    },
    onError: (e) => toast("error", e.message),
  });

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <p className="text-sm text-stone-600">Status changes arrive from Meta by themselves; templates are also re-read every hour.</p>
        <button
          type="button"
          onClick={() => sync.mutate()}
          disabled={sync.isPending}
          className="rounded-md border border-stone-300 px-3 py-1.5 text-sm disabled:opacity-50"
        >
          {sync.isPending ? "Reading…" : "Refresh from WhatsApp"}
        </button>
      </div>
      {templates.error && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="templates-problem">
          {templates.error.message}
        </p>
      )}
      {templates.data && templates.data.length === 0 && (
        <EmptyState title="No templates yet" icon="✎">
          Refresh from WhatsApp or create one below.
        </EmptyState>
      )}
      {templates.data && templates.data.length > 0 && (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          <table className="w-full text-sm" data-testid="templates-table">
            <thead className="bg-stone-50 text-left text-stone-600">
              <tr>
                <th className="px-4 py-2">Template</th>
                <th className="px-4 py-2">Language</th>
                <th className="px-4 py-2">Text</th>
                <th className="px-4 py-2">Status</th>
              </tr>
            </thead>
            <tbody>
              {templates.data.map((t) => {
                const look = statusLook[t.status] ?? { tone: "gray" as const, label: t.status, hint: "" };
                return (
                  <tr key={t.id} className="border-t border-stone-100 align-top">
                    <td className="px-4 py-2 font-mono">
                      {t.name}
                      <div className="text-xs text-stone-500">
                        {t.category?.toLowerCase()}
                        {t.platform ? " · platform template, shared by every bakery" : ""}
                      </div>
                    </td>
                    <td className="px-4 py-2">{t.language}</td>
                    <td className="px-4 py-2">
                      <div className="max-w-md">{t.bodyText ?? <span className="text-stone-400">—</span>}</div>
                      <div className="text-xs text-stone-500">
                        {t.parameterNames.length} parameter{t.parameterNames.length === 1 ? "" : "s"}
                        {t.parameterNames.length ? `: ${t.parameterNames.map((n) => `{{${n}}}`).join(", ")}` : ""}
                      </div>
                    </td>
                    <td className="px-4 py-2">
                      <Badge tone={look.tone}>{look.label}</Badge>
                      <p className="mt-1 max-w-xs text-xs text-stone-600">
                        {t.status === "REJECTED" && t.rejectedReason ? `Reason: ${t.rejectedReason}. ` : ""}
                        {look.hint}
                      </p>
                      <p className="text-xs text-stone-400">updated {timeAgo(t.updatedAt)}</p>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {!templates.error && (
        <Card
          title="Create a template"
          description="Use {{1}}, {{2}}, … for the parts that change. Meta reviews every new template before it can be sent."
        >
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
              Name
              <input
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                placeholder="order_ready"
                className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-1.5 font-mono"
                required
              />
            </label>
            <div className="flex gap-3">
              <label className="text-sm">
                Language
                <select
                  value={form.language}
                  onChange={(e) => setForm({ ...form, language: e.target.value })}
                  className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5"
                >
                  {messageLanguages.map((l) => (
                    <option key={l.code} value={l.code}>
                      {l.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm">
                Kind
                <select
                  value={form.category}
                  onChange={(e) => setForm({ ...form, category: e.target.value as "UTILITY" })}
                  className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5"
                >
                  <option value="UTILITY">Utility (orders, updates)</option>
                  <option value="MARKETING">Marketing (offers)</option>
                </select>
              </label>
            </div>
            <label className="text-sm sm:col-span-2">
              Text
              <textarea
                value={form.bodyText}
                onChange={(e) => setForm({ ...form, bodyText: e.target.value })}
                placeholder="Hola {{1}}, tu pedido {{2}} está listo para recoger."
                rows={3}
                className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-1.5"
                required
              />
            </label>
            <label className="text-sm sm:col-span-2">
              Example values, comma-separated
              <input
                value={form.examples}
                onChange={(e) => setForm({ ...form, examples: e.target.value })}
                placeholder="Ana, PO-1042"
                className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-1.5"
              />
            </label>
            <div>
              <button
                type="submit"
                disabled={create.isPending}
                className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
              >
                Send for review
              </button>
            </div>
          </form>
        </Card>
      )}
    </div>
  );
}
