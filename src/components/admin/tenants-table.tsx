"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { numberWarningKeys } from "@/components/admin/number-warnings";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { QualityBadge } from "@/components/ui/quality-badge";
import { useToast } from "@/components/ui/toast";
import { useErrorMessage } from "@/components/ui/use-error-message";
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
  const t = useTranslations("admin.tenants");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const debouncedSearch = useDebounced(search);

  const tenants = api.tenants.list.useQuery({ search: debouncedSearch, page, pageSize }, { placeholderData: (previous) => previous });
  const numbers = api.numbers.list.useQuery();
  const freeNumbers = numbers.data?.numbers.filter((n) => !n.assignedTo) ?? [];
  const pages = tenants.data ? Math.max(1, Math.ceil(tenants.data.total / pageSize)) : 1;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <input
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          placeholder={t("searchPlaceholder")}
          aria-label={t("searchLabel")}
          className="min-h-11 w-full max-w-sm rounded-md border border-stone-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
        />
        <p className="text-sm text-stone-600">{tenants.data ? t("count", { count: tenants.data.total }) : "…"}</p>
      </div>
      {/* a tablet shows every column; a phone scrolls the table inside its box, never the page */}
      <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-stone-200 text-sm">
          <thead className="bg-stone-50 text-left text-xs font-semibold uppercase tracking-wide text-stone-600">
            <tr>
              <th className="px-4 py-3">{t("bakery")}</th>
              <th className="px-4 py-3">{t("whatsapp")}</th>
              <th className="px-4 py-3">{t("language")}</th>
              <th className="px-4 py-3">{t("number")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {tenants.data?.tenants.map((tenant) => (
              <TenantRowView key={tenant.id} tenant={tenant} freeNumbers={freeNumbers} />
            ))}
            {tenants.data?.tenants.length === 0 && (
              <tr>
                <td colSpan={4} className="px-4 py-8 text-center text-stone-600">
                  {t("noMatch", { search: debouncedSearch })}
                </td>
              </tr>
            )}
            {tenants.isLoading && (
              <tr>
                <td colSpan={4} className="px-4 py-8 text-center text-stone-600">
                  {t("loading")}
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
  const t = useTranslations("admin.tenants");
  const tw = useTranslations("admin");
  const errorMessage = useErrorMessage();
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
      toast("success", t("assigned", { number: result.displayPhoneNumber, bakery: result.tenantName }));
    },
    onError: async (error) => {
      if (error.data?.appCode === "CONFIRMATION_REQUIRED") {
        setWarnings((error.data.details as { warning_codes?: string[] } | null)?.warning_codes ?? ["other"]);
        return;
      }
      setWarnings(null);
      await refreshLists();
      toast("error", errorMessage(error));
    },
  });
  const unassign = api.numbers.unassign.useMutation({
    onSuccess: async (result) => {
      setConfirmUnassign(false);
      await refreshLists();
      toast("success", t("unassigned", { number: result.displayPhoneNumber, bakery: result.tenantName }));
    },
    onError: (error) => {
      setConfirmUnassign(false);
      toast("error", errorMessage(error));
    },
  });

  return (
    <tr data-testid="tenant-row" data-tenant={tenant.name}>
      <td className="px-4 py-3 font-medium">{tenant.name}</td>
      <td className="px-4 py-3">{tenant.enabled ? <Badge tone="green">{t("on")}</Badge> : <Badge>{t("off")}</Badge>}</td>
      <td className="px-4 py-3">{languageLabel(tenant.language)}</td>
      <td className="px-4 py-3">
        {tenant.phoneNumber ? (
          <div className="flex flex-wrap items-center gap-3">
            <span className="font-mono whitespace-nowrap">{tenant.phoneNumber.displayPhoneNumber}</span>
            <QualityBadge rating={tenant.phoneNumber.qualityRating} />
            <button
              type="button"
              onClick={() => setConfirmUnassign(true)}
              className="min-h-11 text-sm font-medium text-red-700 hover:underline sm:min-h-0"
            >
              {t("unassign")}
            </button>
          </div>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <select
              value={selected}
              onChange={(e) => setSelected(e.target.value)}
              aria-label={t("numberFor", { bakery: tenant.name })}
              className="min-h-11 rounded-md border border-stone-300 px-2 py-1.5 text-sm sm:min-h-0"
            >
              <option value="">{freeNumbers.length ? t("chooseNumber") : t("noFreeNumbers")}</option>
              {freeNumbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.displayPhoneNumber} · {n.verifiedName ?? t("noName")}
                  {n.warnings.length ? " ⚠" : ""}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={!selected || assign.isPending}
              onClick={() => assign.mutate({ tenantId: tenant.id, phoneNumberId: selected })}
              className="min-h-11 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50 sm:min-h-0"
            >
              {t("assign")}
            </button>
          </div>
        )}
        <ConfirmDialog
          open={warnings !== null}
          title={t("confirmTitle")}
          confirmLabel={t("assignAnyway")}
          tone="warning"
          busy={assign.isPending}
          onCancel={() => setWarnings(null)}
          onConfirm={() => assign.mutate({ tenantId: tenant.id, phoneNumberId: selected, acknowledgeWarnings: true })}
        >
          <ul className="list-disc space-y-1 pl-5">
            {numberWarningKeys(warnings ?? []).map((w) => (
              <li key={w}>{tw(`warning.${w}`)}</li>
            ))}
          </ul>
          <p className="mt-3">{t("confirmText", { bakery: tenant.name })}</p>
        </ConfirmDialog>
        <ConfirmDialog
          open={confirmUnassign}
          title={t("unassignTitle", { number: tenant.phoneNumber?.displayPhoneNumber ?? "—" })}
          confirmLabel={t("unassign")}
          busy={unassign.isPending}
          onCancel={() => setConfirmUnassign(false)}
          onConfirm={() => unassign.mutate({ tenantId: tenant.id })}
        >
          {t("unassignText", { bakery: tenant.name })}
        </ConfirmDialog>
      </td>
    </tr>
  );
}
