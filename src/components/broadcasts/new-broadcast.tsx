"use client";

import Papa from "papaparse";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { api, type RouterInputs } from "@/trpc/react";

type Draft = RouterInputs["broadcasts"]["create"];
type Source = Draft["parameters"][number];
type AudienceKind = "all" | "tag" | "csv";

const input = "w-full rounded-md border border-stone-300 px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none";

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

export function NewBroadcast() {
  const router = useRouter();
  const toast = useToast();
  const templates = api.templates.list.useQuery();
  const approved = useMemo(() => (templates.data ?? []).filter((t) => t.status === "APPROVED"), [templates.data]);

  const [name, setName] = useState("");
  const [templateKey, setTemplateKey] = useState("");
  const [sources, setSources] = useState<Source[]>([]);
  const [audienceKind, setAudienceKind] = useState<AudienceKind>("all");
  const [tag, setTag] = useState("");
  const [csv, setCsv] = useState<{ fileName: string; phones: string[] } | null>(null);

  const template = approved.find((t) => `${t.name}|${t.language}` === templateKey);

  function chooseTemplate(key: string) {
    setTemplateKey(key);
    const chosen = approved.find((t) => `${t.name}|${t.language}` === key);
    setSources((chosen?.parameterNames ?? []).map((_, i) => (i === 0 ? { kind: "field", field: "name" } : { kind: "fixed", value: "" })));
  }

  const draft: Draft | null = template
    ? {
        name: name.trim() || `${template.name} ${new Date().toLocaleDateString()}`,
        templateName: template.name,
        language: template.language,
        parameters: sources,
        audience: audienceKind === "tag" ? { kind: "tag", tag } : audienceKind === "csv" && csv ? { kind: "csv", ...csv } : { kind: "all" },
      }
    : null;

  const [previewFor, setPreviewFor] = useState<Draft | null>(null);
  const preview = api.broadcasts.preview.useQuery(previewFor!, { enabled: previewFor !== null, retry: false });
  const create = api.broadcasts.create.useMutation();
  const start = api.broadcasts.start.useMutation();

  async function startBroadcast() {
    if (!previewFor) return;
    try {
      const created = await create.mutateAsync(previewFor);
      await start.mutateAsync({ broadcastId: created.id });
      router.push(`/broadcasts/${created.id}`);
    } catch (error) {
      toast("error", `Not started: ${(error as Error).message}`);
    }
  }

  return (
    <Card title="New broadcast" description="Pick an approved template, fill in its blanks, choose who gets it, and check the preview.">
      <div className="space-y-4">
        {templates.error && (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="broadcast-problem">
            {templates.error.message} Broadcasts need a WhatsApp number and an approved template.
          </p>
        )}
        <label className="block text-sm">
          <span className="font-medium text-stone-800">Name</span>
          <input className={input} value={name} onChange={(e) => setName(e.target.value)} placeholder="Oferta de San Juan" />
        </label>

        <label className="block text-sm">
          <span className="font-medium text-stone-800">Template</span>
          <select className={input} value={templateKey} onChange={(e) => chooseTemplate(e.target.value)} aria-label="Template">
            <option value="">{approved.length ? "Choose an approved template…" : "No approved templates yet"}</option>
            {approved.map((t) => (
              <option key={t.id} value={`${t.name}|${t.language}`}>
                {t.name} ({t.language})
              </option>
            ))}
          </select>
        </label>

        {template && sources.length > 0 && (
          <fieldset className="space-y-2 text-sm">
            <legend className="font-medium text-stone-800">Fill in the template&apos;s blanks</legend>
            {sources.map((source, i) => (
              <div key={i} className="flex gap-2">
                <span className="w-16 shrink-0 pt-2 text-stone-500">{`{{${template.parameterNames[i]}}}`}</span>
                <select
                  aria-label={`Parameter ${i + 1} source`}
                  className={`${input} w-44`}
                  value={source.kind === "fixed" ? "fixed" : source.field}
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
                  <option value="name">Contact&apos;s name</option>
                  <option value="phone">Contact&apos;s phone</option>
                  <option value="fixed">Same text for everyone</option>
                </select>
                {source.kind === "fixed" && (
                  <input
                    aria-label={`Parameter ${i + 1} text`}
                    className={input}
                    value={source.value}
                    onChange={(e) => setSources(sources.map((s, j) => (j === i ? { kind: "fixed", value: e.target.value } : s)))}
                  />
                )}
              </div>
            ))}
          </fieldset>
        )}

        <fieldset className="space-y-2 text-sm">
          <legend className="font-medium text-stone-800">Who gets it</legend>
          {(
            [
              ["all", "Everyone who opted in"],
              ["tag", "Contacts with a tag"],
              ["csv", "The numbers in a CSV file"],
            ] as const
          ).map(([kind, label]) => (
            <label key={kind} className="flex items-center gap-2">
              <input type="radio" name="audience" checked={audienceKind === kind} onChange={() => setAudienceKind(kind)} />
              {label}
            </label>
          ))}
          {audienceKind === "tag" && (
            <input aria-label="Tag" className={input} value={tag} onChange={(e) => setTag(e.target.value)} placeholder="clientes" />
          )}
          {audienceKind === "csv" && (
            <input
              aria-label="Audience CSV"
              type="file"
              accept=".csv,text/csv"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setCsv({ fileName: file.name, phones: phonesFromCsv(await file.text()) });
              }}
            />
          )}
          <p className="text-stone-500">People who opted out or whose number is not on WhatsApp are always left out.</p>
        </fieldset>

        <button
          type="button"
          disabled={!draft}
          onClick={() => setPreviewFor(draft)}
          className="rounded-md border border-stone-300 px-4 py-2 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
        >
          Preview
        </button>

        {preview.error && <p className="rounded-md bg-red-50 p-3 text-sm text-red-800">{preview.error.message}</p>}
        {preview.data && (
          <div className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50/40 p-4" data-testid="broadcast-preview">
            <p className="whitespace-pre-line rounded-md bg-white p-3 text-sm text-stone-800 shadow-sm">{preview.data.renderedBody}</p>
            <p className="text-sm">
              <strong className="text-lg">{preview.data.eligible.toLocaleString()}</strong> people will receive it
              {preview.data.sampleRecipient ? ` (shown as ${preview.data.sampleRecipient} would see it)` : ""}.
            </p>
            <ul className="text-sm text-stone-600">
              <li>Left out, not opted in: {preview.data.excludedOptedOut.toLocaleString()}</li>
              <li>Left out, not on WhatsApp: {preview.data.excludedNotOnWhatsApp.toLocaleString()}</li>
              <li>Left out, invalid number: {preview.data.excludedInvalid.toLocaleString()}</li>
            </ul>
            <button
              type="button"
              disabled={preview.data.eligible === 0 || create.isPending || start.isPending}
              onClick={startBroadcast}
              className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800 disabled:opacity-50"
            >
              {create.isPending || start.isPending ? "Starting…" : `Send to ${preview.data.eligible.toLocaleString()} people`}
            </button>
          </div>
        )}
      </div>
    </Card>
  );
}
