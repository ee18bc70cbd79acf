"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import { csvFormatExample, readContactsCsv } from "@/lib/contacts-csv";
import { api, type RouterOutputs } from "@/trpc/react";

type Report = RouterOutputs["contacts"]["importRows"];
const chunkSize = 1000;

/** The file is parsed here and sent in chunks, so a 10,000-row file shows real progress and never times out. */
export function ContactImport({ onDone }: { onDone: () => void }) {
  const importRows = api.contacts.importRows.useMutation();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const running = progress !== null && progress.done < progress.total;

  async function upload(file: File) {
    setReport(null);
    setProblem(null);
    const parsed = readContactsCsv(await file.text());
    if (!parsed.ok) {
      setProblem(
        `No phone column found (columns: ${parsed.foundColumns.join(", ") || "none"}). The first line must name the columns, e.g. “phone,name,opted_in”.`,
      );
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
      setProblem(`The import stopped: ${(error as Error).message}. Rows already imported stay; importing the same file again skips them.`);
    }
    onDone();
  }

  return (
    <Card
      title="Import contacts from a CSV file"
      description="Valid rows are added, numbers you already have are counted as duplicates, and invalid rows are listed with the reason. Importing the same file twice changes nothing."
    >
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-4">
          <label className="cursor-pointer rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white">
            Choose CSV file
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
          <details className="text-sm text-stone-600">
            <summary className="cursor-pointer">CSV format</summary>
            <pre className="mt-2 rounded bg-stone-50 p-2 text-xs">{csvFormatExample}</pre>
            <p className="mt-1 text-xs">phone is required (+34… or national); name and opted_in (yes/no) are optional.</p>
          </details>
        </div>
        {progress && (
          <div>
            <div className="flex justify-between text-xs text-stone-600">
              <span>{running ? "Importing…" : "Done"}</span>
              <span data-testid="import-progress-text">
                {progress.done.toLocaleString("en")} / {progress.total.toLocaleString("en")} rows
              </span>
            </div>
            <div
              className="mt-1 h-2 overflow-hidden rounded-full bg-stone-100"
              role="progressbar"
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
        {problem && <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">{problem}</p>}
        {report && (
          <div data-testid="import-report" className="space-y-3">
            <dl className="grid grid-cols-4 gap-3 text-center">
              {(
                [
                  ["processed", "Rows read", "text-stone-900"],
                  ["imported", "Imported", "text-emerald-700"],
                  ["duplicates", "Already there", "text-stone-600"],
                  ["errors", "Not imported", "text-red-700"],
                ] as const
              ).map(([key, label, color]) => (
                <div key={key} className="rounded-lg bg-stone-50 py-2">
                  <dd className={`text-xl font-semibold ${color}`} data-testid={`import-${key}`}>
                    {report[key].toLocaleString("en")}
                  </dd>
                  <dt className="text-xs text-stone-600">{label}</dt>
                </div>
              ))}
            </dl>
            {report.errorDetails.length > 0 && (
              <table className="w-full text-sm" data-testid="import-error-rows">
                <thead className="text-left text-stone-600">
                  <tr>
                    <th className="py-1">Row</th>
                    <th>Value</th>
                    <th>Why it was skipped</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errorDetails.map((e) => (
                    <tr key={e.row} className="border-t border-stone-100">
                      <td className="py-1 font-mono">{e.row}</td>
                      <td className="font-mono">{e.value || <span className="text-stone-400">(empty)</span>}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
