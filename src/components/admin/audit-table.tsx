"use client";

import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { dateTime } from "@/components/ui/format";
import { Pager } from "@/components/ui/pager";
import { downloadFile } from "@/components/ui/download";
import { api } from "@/trpc/react";

const actionLabel: Record<string, string> = {
  "phone_number.assigned": "Number assigned",
  "phone_number.unassigned": "Number unassigned",
  "whatsapp_settings.updated": "WhatsApp settings changed",
  "contact.opt_in": "Opt-in recorded",
  "contact.opt_out": "Opt-out recorded",
  "alert.acknowledge": "Alert acknowledged",
  "api_key.create": "API key created",
  "api_key.revoke": "API key revoked",
  "broadcast.start": "Broadcast started",
  "broadcast.pause": "Broadcast paused",
  "broadcast.resume": "Broadcast resumed",
  "broadcast.cancel": "Broadcast cancelled",
  "number.complete_registration": "Registration completed (attempt)",
  "retention.purged": "Old data purged (retention)",
  "gdpr.contact_exported": "Contact exported (GDPR)",
  "gdpr.contact_erased": "Contact erased (GDPR)",
  "gdpr.owner_exported": "Owner account exported (GDPR)",
  "gdpr.owner_erased": "Owner account erased (GDPR)",
};

function describe(value: unknown) {
  if (!value || typeof value !== "object") return "—";
  return (
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== "phoneNumberId" && key !== "metaPhoneNumberId")
      .map(([key, v]) => `${key}: ${v === null ? "none" : String(v)}`)
      .join(", ") || "none"
  );
}

export function AuditTable() {
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [tenantId, setTenantId] = useState("");
  const [page, setPage] = useState(1);
  const actions = api.audit.actions.useQuery();
  const tenants = api.audit.tenants.useQuery();
  const filters = { action: action || undefined, actor: actor || undefined, tenantId: tenantId || undefined };
  const log = api.audit.list.useQuery({ ...filters, page, pageSize: 25 }, { placeholderData: (p) => p });
  const exportCsv = api.audit.exportCsv.useMutation({ onSuccess: downloadFile });
  const pages = log.data ? Math.max(1, Math.ceil(log.data.total / log.data.pageSize)) : 1;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-stone-600">What</span>
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(1);
            }}
            aria-label="Filter by action"
            className="mt-1 rounded-md border border-stone-300 px-2 py-1.5"
          >
            <option value="">Everything</option>
            {actions.data?.map((a) => (
              <option key={a} value={a}>
                {actionLabel[a] ?? a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-stone-600">Who</span>
          <input
            value={actor}
            onChange={(e) => {
              setActor(e.target.value);
              setPage(1);
            }}
            placeholder="e-mail contains…"
            aria-label="Filter by actor"
            className="mt-1 rounded-md border border-stone-300 px-2 py-1.5"
          />
        </label>
        <label className="text-sm">
          <span className="block text-stone-600">Bakery</span>
          <select
            value={tenantId}
            onChange={(e) => {
              setTenantId(e.target.value);
              setPage(1);
            }}
            aria-label="Filter by bakery"
            className="mt-1 rounded-md border border-stone-300 px-2 py-1.5"
          >
            <option value="">Every bakery</option>
            {tenants.data?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={exportCsv.isPending}
          onClick={() => exportCsv.mutate(filters)}
          className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-50 disabled:opacity-50"
        >
          {exportCsv.isPending ? "Exporting…" : "Export CSV"}
        </button>
      </div>
      {log.data && log.data.total === 0 ? (
        <EmptyState title="Nothing recorded yet" icon="≡">
          Opt-ins and opt-outs, number assignments, settings, broadcasts, alerts, API keys and GDPR requests are recorded here with who made
          them, when, and the values before and after.
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-stone-200 text-sm">
            <thead className="bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-500">
              <tr>
                <th className="px-4 py-3">When</th>
                <th className="px-4 py-3">Who</th>
                <th className="px-4 py-3">What</th>
                <th className="px-4 py-3">Bakery</th>
                <th className="px-4 py-3">Before</th>
                <th className="px-4 py-3">After</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {log.data?.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="whitespace-nowrap px-4 py-3 text-stone-600">{dateTime(e.createdAt)}</td>
                  <td className="px-4 py-3">{e.actorLabel}</td>
                  <td className="px-4 py-3 font-medium">{actionLabel[e.action] ?? e.action}</td>
                  <td className="px-4 py-3">{e.tenantName ?? "—"}</td>
                  <td className="px-4 py-3 text-stone-600">{describe(e.before)}</td>
                  <td className="px-4 py-3 text-stone-600">{describe(e.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} onPage={setPage} />
    </div>
  );
}
