"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

const categories = ["MARKETING", "UTILITY", "AUTHENTICATION", "SERVICE"] as const;

/**
 * The admin's costs: every bakery's spend this month with its cap and daily share (editable), and the dated rate
 * card (a new rate from a date on). costs.adminOverview, costs.bakerySettings, costs.setBakerySettings, costs.rateCard,
 * costs.setRate. Place on a new admin page (e.g. /admin/costs) or the admin Overview.
 */
export function AdminCosts() {
  const t = useTranslations("costs");
  const overview = api.costs.adminOverview.useQuery(undefined, { retry: false });
  const settings = api.costs.bakerySettings.useQuery(undefined, { retry: false });
  const capOf = new Map((settings.data ?? []).map((s) => [s.id, s.costSettings]));
  return (
    <div className="space-y-6" data-testid="admin-costs">
      <Card title={t("admin.title")} description={t("admin.description")}>
        {overview.data && (
          <p className="mb-3 text-sm text-stone-600">
            {t("admin.total", { total: (overview.data.total.micros / 1_000_000).toFixed(2), currency: overview.data.total.currency ?? "" })}
          </p>
        )}
        <div className="overflow-x-auto">
          <table className="w-full min-w-[560px] text-left text-sm">
            <thead className="text-xs uppercase text-stone-500">
              <tr>
                <th className="py-2 pr-3">{t("admin.bakery")}</th>
                <th className="py-2 pr-3 text-right">{t("admin.messages")}</th>
                <th className="py-2 pr-3 text-right">{t("admin.spend")}</th>
                <th className="py-2 pr-3">{t("admin.cap")}</th>
                <th className="py-2 pr-3">{t("admin.share")}</th>
                <th className="py-2">
                  <span className="sr-only">{t("admin.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {(overview.data?.bakeries ?? []).map((b) => (
                <BakeryRow
                  key={b.tenantId}
                  tenantId={b.tenantId}
                  name={b.name}
                  messages={b.messages}
                  spend={(b.spend.micros / 1_000_000).toFixed(2)}
                  cap={capOf.get(b.tenantId)?.monthlySpendCapCents ?? null}
                  share={capOf.get(b.tenantId)?.dailyConversationShare ?? null}
                />
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <RateCard />
    </div>
  );
}

function BakeryRow(props: { tenantId: string; name: string; messages: number; spend: string; cap: number | null; share: number | null }) {
  const t = useTranslations("costs");
  const toast = useToast();
  const utils = api.useUtils();
  const [cap, setCap] = useState(props.cap === null ? "" : (props.cap / 100).toFixed(2));
  const [share, setShare] = useState(props.share === null ? "" : String(props.share));
  const save = api.costs.setBakerySettings.useMutation({
    onSuccess: () => (toast("success", t("admin.saved")), utils.costs.invalidate()),
    onError: (e) => toast("error", e.message),
  });
  return (
    <tr>
      <td className="py-2 pr-3 font-medium text-stone-900">{props.name}</td>
      <td className="py-2 pr-3 text-right tabular-nums">{props.messages}</td>
      <td className="py-2 pr-3 text-right tabular-nums">{props.spend}</td>
      <td className="py-2 pr-3">
        <input
          aria-label={`${t("admin.cap")} ${props.name}`}
          className="w-24 rounded border border-stone-300 px-2 py-1"
          inputMode="decimal"
          placeholder={t("admin.none")}
          value={cap}
          onChange={(e) => setCap(e.target.value)}
        />
      </td>
      <td className="py-2 pr-3">
        <input
          aria-label={`${t("admin.share")} ${props.name}`}
          className="w-24 rounded border border-stone-300 px-2 py-1"
          inputMode="numeric"
          placeholder={t("admin.equal")}
          value={share}
          onChange={(e) => setShare(e.target.value)}
        />
      </td>
      <td className="py-2">
        <button
          type="button"
          className="rounded bg-stone-900 px-3 py-1 text-white disabled:opacity-50"
          disabled={save.isPending}
          onClick={() =>
            save.mutate({
              tenantId: props.tenantId,
              monthlySpendCap: cap.trim() === "" ? null : Number(cap.replace(",", ".")),
              dailyConversationShare: share.trim() === "" ? null : Number(share),
            })
          }
        >
          {t("admin.save")}
        </button>
      </td>
    </tr>
  );
}

function RateCard() {
  const t = useTranslations("costs");
  const toast = useToast();
  const utils = api.useUtils();
  const card = api.costs.rateCard.useQuery(undefined, { retry: false });
  const [form, setForm] = useState({
    category: "MARKETING" as (typeof categories)[number],
    country: "ES",
    currency: "USD",
    rate: "",
    validFrom: "",
  });
  const setRate = api.costs.setRate.useMutation({
    onSuccess: () => (toast("success", t("admin.saved")), utils.costs.rateCard.invalidate()),
    onError: (e) => toast("error", e.message),
  });
  return (
    <Card title={t("admin.rateCard")}>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[420px] text-left text-sm">
          <thead className="text-xs uppercase text-stone-500">
            <tr>
              <th className="py-2 pr-3">{t("admin.category")}</th>
              <th className="py-2 pr-3">{t("admin.country")}</th>
              <th className="py-2 pr-3 text-right">{t("admin.rate")}</th>
              <th className="py-2">{t("admin.validFrom")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {(card.data ?? []).map((r) => (
              <tr key={`${r.category}-${r.country}`}>
                <td className="py-1 pr-3">{r.category}</td>
                <td className="py-1 pr-3">{r.country}</td>
                <td className="py-1 pr-3 text-right tabular-nums">
                  {r.rate} {r.currency}
                </td>
                <td className="py-1">{new Date(r.validFrom).toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="mt-4 flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          setRate.mutate({ ...form, rate: Number(form.rate.replace(",", ".")), validFrom: new Date(form.validFrom) });
        }}
      >
        <select
          aria-label={t("admin.category")}
          className="rounded border border-stone-300 px-2 py-1"
          value={form.category}
          onChange={(e) => setForm({ ...form, category: e.target.value as (typeof categories)[number] })}
        >
          {categories.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <input
          aria-label={t("admin.country")}
          className="w-16 rounded border border-stone-300 px-2 py-1"
          value={form.country}
          onChange={(e) => setForm({ ...form, country: e.target.value.toUpperCase() })}
        />
        <input
          aria-label={t("admin.rate")}
          className="w-24 rounded border border-stone-300 px-2 py-1"
          inputMode="decimal"
          placeholder="0.0615"
          value={form.rate}
          onChange={(e) => setForm({ ...form, rate: e.target.value })}
        />
        <input
          aria-label={t("admin.validFrom")}
          type="date"
          className="rounded border border-stone-300 px-2 py-1"
          value={form.validFrom}
          onChange={(e) => setForm({ ...form, validFrom: e.target.value })}
        />
        <button type="submit" className="rounded bg-stone-900 px-3 py-1 text-white disabled:opacity-50" disabled={setRate.isPending}>
          {t("admin.addRate")}
        </button>
      </form>
    </Card>
  );
}
