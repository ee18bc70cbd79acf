"use client";

import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { QualityBadge } from "@/components/ui/quality-badge";
import { useToast } from "@/components/ui/toast";
import { languageLabel } from "@/lib/languages";
import { Pager } from "@/components/ui/pager";
import { api, type RouterOutputs } from "@/trpc/react";

type TenantRow = RouterOutputs["tenants"]["list"]["tenants"][number];
const pageSize = 25;

function useDebounced<T>(value: T, ms = 250) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function TenantsTable() {
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const debouncedSearch = useDebounced(search);

  const tenants = api.tenants.list.useQuery({ search: debouncedSearch, page, pageSize }, { placeholderData: (previous) => previous });
  const numbers = api.numbers.list.useQuery();
  const freeNumbers = numbers.data?.numbers.filter((n) => !n.assignedTo) ?? [];
  const pages = tenants.data ? Math.max(1, Math.ceil(tenants.data.total / pageSize)) : 1;

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <input
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          placeholder="Search bakeries by name…"
          aria-label="Search bakeries"
          className="w-full max-w-sm rounded-md border border-stone-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
        />
        <p className="text-sm text-stone-600">
          {tenants.data ? `${tenants.data.total} ${tenants.data.total === 1 ? "bakery" : "bakeries"}` : "…"}
        </p>
      </div>
      <div className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-stone-200 text-sm">
          <thead className="bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-500">
            <tr>
              <th className="px-4 py-3">Bakery</th>
              <th className="px-4 py-3">WhatsApp</th>
              <th className="px-4 py-3">Language</th>
              <th className="px-4 py-3">Number</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {tenants.data?.tenants.map((tenant) => (
              <TenantRowView key={tenant.id} tenant={tenant} freeNumbers={freeNumbers} />
            ))}
            {tenants.data?.tenants.length === 0 && (
              <tr>
                <td colSpan={4} className="px-4 py-8 text-center text-stone-500">
                  No bakery matches “{debouncedSearch}”.
                </td>
              </tr>
            )}
            {tenants.isLoading && (
              <tr>
                <td colSpan={4} className="px-4 py-8 text-center text-stone-500">
                  Loading bakeries…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} onPage={setPage} />
    </div>
  );
}

function TenantRowView({ tenant, freeNumbers }: { tenant: TenantRow; freeNumbers: RouterOutputs["numbers"]["list"]["numbers"] }) {
  const utils = api.useUtils();
  const toast = useToast();
  const [selected, setSelected] = useState("");
  const [warnings, setWarnings] = useState<string[] | null>(null);
  const [confirmUnassign, setConfirmUnassign] = useState(false);

  const refreshLists = () => Promise.all([utils.tenants.list.invalidate(), utils.numbers.list.invalidate()]);
  const assign = api.numbers.assign.useMutation({
    onSuccess: async (result) => {
      setWarnings(null);
      setSelected("");
      await refreshLists();
      toast("success", `${result.displayPhoneNumber} assigned to ${result.tenantName}.`);
    },
    onError: async (error) => {
      if (error.data?.appCode === "CONFIRMATION_REQUIRED") {
        setWarnings((error.data.details as { warnings?: string[] } | null)?.warnings ?? [error.message]);
        return;
      }
      setWarnings(null);
      await refreshLists();
      toast("error", error.message);
    },
  });
  const unassign = api.numbers.unassign.useMutation({
    onSuccess: async (result) => {
      setConfirmUnassign(false);
      await refreshLists();
      toast("success", `${result.displayPhoneNumber} unassigned from ${result.tenantName}.`);
    },
    onError: (error) => {
      setConfirmUnassign(false);
      toast("error", error.message);
    },
  });

  return (
    <tr data-testid="tenant-row" data-tenant={tenant.name}>
      <td className="px-4 py-3 font-medium">{tenant.name}</td>
      <td className="px-4 py-3">{tenant.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</td>
      <td className="px-4 py-3">{languageLabel(tenant.language)}</td>
      <td className="px-4 py-3">
        {tenant.phoneNumber ? (
          <div className="flex items-center gap-3">
            <span className="font-mono">{tenant.phoneNumber.displayPhoneNumber}</span>
            <QualityBadge rating={tenant.phoneNumber.qualityRating} />
            <button type="button" onClick={() => setConfirmUnassign(true)} className="text-sm font-medium text-red-700 hover:underline">
              Unassign
            </button>
          </div>
        ) : (
          <div className="flex items-center gap-2">
            <select
              value={selected}
              onChange={(e) => setSelected(e.target.value)}
              aria-label={`Number for ${tenant.name}`}
              className="rounded-md border border-stone-300 px-2 py-1.5 text-sm"
            >
              <option value="">{freeNumbers.length ? "Choose a free number…" : "No free numbers"}</option>
              {freeNumbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.displayPhoneNumber} · {n.verifiedName ?? "no name"}
                  {n.warnings.length ? " ⚠" : ""}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={!selected || assign.isPending}
              onClick={() => assign.mutate({ tenantId: tenant.id, phoneNumberId: selected })}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
            >
              Assign
            </button>
          </div>
        )}
        <ConfirmDialog
          open={warnings !== null}
          title="Assign a number that cannot send yet?"
          confirmLabel="Assign anyway"
          tone="warning"
          busy={assign.isPending}
          onCancel={() => setWarnings(null)}
          onConfirm={() => assign.mutate({ tenantId: tenant.id, phoneNumberId: selected, acknowledgeWarnings: true })}
        >
          <ul className="list-disc space-y-1 pl-5">
            {warnings?.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <p className="mt-3">{tenant.name} will see the number, but its messages will not go out until this is fixed.</p>
        </ConfirmDialog>
        <ConfirmDialog
          open={confirmUnassign}
          title={`Unassign ${tenant.phoneNumber?.displayPhoneNumber ?? "the number"}?`}
          confirmLabel="Unassign"
          busy={unassign.isPending}
          onCancel={() => setConfirmUnassign(false)}
          onConfirm={() => unassign.mutate({ tenantId: tenant.id })}
        >
          {tenant.name} will stop sending WhatsApp notifications until another number is assigned. Their owner will see “contact support”.
        </ConfirmDialog>
      </td>
    </tr>
  );
}
