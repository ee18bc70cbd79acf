"use client";

import { useLocale, useTranslations, useFormatter } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { countryName } from "@/components/contacts/contact-errors";
import { csvFormatExample, decodeCsvBytes, readContactsCsv, type CsvEncoding } from "@/lib/contacts-csv";
import { api, type RouterOutputs } from "@/trpc/react";

type Report = RouterOutputs["contacts"]["importRows"];
const chunkSize = 1000;

/**
 * The file is decoded here (UTF-8 or the Windows-1252 Excel writes, see decodeCsvBytes), parsed and sent in
 * chunks, so a 10,000-row file shows real progress and never times out.
 */
export function ContactImport({ onDone }: { onDone: () => void }) {
  const t = useTranslations("contacts.import");
  const locale = useLocale();
  const format = useFormatter();
  const importRows = api.contacts.importRows.useMutation();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [encoding, setEncoding] = useState<CsvEncoding | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const running = progress !== null && progress.done < progress.total;

  async function upload(file: File) {
    setReport(null);
    setProblem(null);
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    setEncoding(decoded.encoding);
    const parsed = readContactsCsv(decoded.text);
    if (!parsed.ok) {
      setProblem(t("noPhoneColumn", { columns: parsed.foundColumns.join(", ") || t("noColumns") }));
      return;
    }
    const total: Report = { processed: 0, imported: 0, duplicates: 0, errors: 0, errorDetails: [] };
    setProgress({ done: 0, total: parsed.rows.length });
    try {
      for (let i = 0; i < parsed.rows.length; i += chunkSize) {
        const part = await importRows.mutateAsync({ rows: parsed.rows.slice(i, i + chunkSize) });
        total.processed += part.processed;
        total.imported += part.imported;
        total.duplicates += part.duplicates;
        total.errors += part.errors;
        total.errorDetails = [...total.errorDetails, ...part.errorDetails].slice(0, 500);
        setProgress({ done: Math.min(i + chunkSize, parsed.rows.length), total: parsed.rows.length });
        setReport({ ...total });
      }
    } catch (error) {
      setProblem(t("stopped", { message: (error as Error).message }));
    }
    onDone();
  }

  const reason = (e: Report["errorDetails"][number]) =>
    e.code === "phone_invalid"
      ? t("reasons.phone_invalid", { example: e.example ?? "+34 612 34 56 78", country: countryName(e.region ?? "ES", locale) })
      : e.code === "phone_missing" || e.code === "tag_invalid"
        ? t(`reasons.${e.code}`)
        : e.reason;

  return (
    <Card title={t("title")} description={t("description")}>
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-4">
          <label className="inline-flex min-h-11 cursor-pointer items-center rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white focus-within:ring-2 focus-within:ring-brand-500 focus-within:ring-offset-2">
            {t("choose")}
            <input
              type="file"
              accept=".csv,text/csv"
              className="sr-only"
              data-testid="csv-input"
              disabled={running}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void upload(f);
                e.target.value = "";
              }}
            />
          </label>
          <details className="text-sm text-stone-700">
            <summary className="cursor-pointer">{t("format")}</summary>
            <pre className="mt-2 overflow-x-auto rounded bg-stone-50 p-2 text-xs">{csvFormatExample}</pre>
            <p className="mt-1 text-xs">{t("formatHelp")}</p>
          </details>
        </div>
        {progress && (
          <div>
            <div className="flex justify-between text-xs text-stone-700">
              <span>
                {running ? t("running") : t("done")}
                {encoding && (
                  <span className="ml-2" data-testid="import-encoding" data-encoding={encoding}>
                    {t("encoding", { encoding: encoding === "windows-1252" ? "windows1252" : "utf8" })}
                  </span>
                )}
              </span>
              <span data-testid="import-progress-text">
                {t("progress", { done: format.number(progress.done), total: format.number(progress.total) })}
              </span>
            </div>
            <div
              className="mt-1 h-2 overflow-hidden rounded-full bg-stone-100"
              role="progressbar"
              aria-label={t("title")}
              aria-valuemin={0}
              aria-valuemax={progress.total}
              aria-valuenow={progress.done}
            >
              <div
                className="h-full bg-brand-600 transition-all"
                style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 100}%` }}
              />
            </div>
          </div>
        )}
        {problem && (
          <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900" role="alert" data-testid="import-problem">
            {problem}
          </p>
        )}
        {report && (
          <div data-testid="import-report" className="space-y-3">
            <dl className="grid grid-cols-2 gap-3 text-center sm:grid-cols-4">
              {(
                [
                  ["processed", "text-stone-900"],
                  ["imported", "text-emerald-800"],
                  ["duplicates", "text-stone-700"],
                  ["errors", "text-red-800"],
                ] as const
              ).map(([key, color]) => (
                <div key={key} className="flex flex-col-reverse rounded-lg bg-stone-50 py-2">
                  <dt className="text-xs text-stone-700">{t(key)}</dt>
                  <dd className={`text-xl font-semibold ${color}`} data-testid={`import-${key}`}>
                    {format.number(report[key])}
                  </dd>
                </div>
              ))}
            </dl>
            {report.errorDetails.length > 0 && (
              <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 text-sm" data-testid="import-error-rows">
                {report.errorDetails.map((e) => (
                  <li key={e.row} className="grid gap-1 px-3 py-2 sm:grid-cols-[5rem_10rem_1fr]">
                    <span className="font-mono text-stone-700">
                      {t("row")} {e.row}
                    </span>
                    <span className="break-all font-mono">{e.value || <span className="text-stone-600">{t("empty")}</span>}</span>
                    <span>{reason(e)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
