"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useDates } from "@/components/ui/use-format";
import { useErrorMessage } from "@/components/ui/use-error-message";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

export function ApiKeysCard() {
  const t = useTranslations("apiKeys");
  const { timeAgo } = useDates();
  const errorMessage = useErrorMessage();
  const toast = useToast();
  const utils = api.useUtils();
  const nameId = useId();
  const keys = api.apiKeys.list.useQuery();
  const [name, setName] = useState("");
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const create = api.apiKeys.create.useMutation({
    onSuccess: (k) => {
      setShown({ name: k.name, key: k.key });
      setName("");
      void utils.apiKeys.list.invalidate();
    },
    onError: (e) => toast("error", errorMessage(e)),
  });
  const revoke = api.apiKeys.revoke.useMutation({
    onSuccess: () => {
      toast("success", t("revoked"));
      void utils.apiKeys.list.invalidate();
    },
    onError: (e) => toast("error", errorMessage(e)),
  });

  return (
    <Card title={t("title")} description={t("description")}>
      <div className="space-y-4">
        {shown && (
          <div className="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="new-api-key">
            <p>{t.rich("copyNow", { name: shown.name, strong: (chunks) => <strong>{chunks}</strong> })}</p>
            <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs">{shown.key}</code>
            <button type="button" className="mt-2 min-h-11 text-xs underline sm:min-h-0" onClick={() => setShown(null)}>
              {t("saved")}
            </button>
          </div>
        )}
        <form
          className="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name });
          }}
        >
          <label htmlFor={nameId} className="sr-only">
            {t("nameLabel")}
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t("namePlaceholder")}
            className="min-h-11 min-w-0 flex-1 basis-48 rounded-md border border-stone-300 px-3 py-1.5 text-sm sm:min-h-0"
            required
          />
          <button
            type="submit"
            disabled={create.isPending}
            className="min-h-11 rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50 sm:min-h-0"
          >
            {t("create")}
          </button>
        </form>
        <ul className="divide-y divide-stone-100 text-sm">
          {keys.data?.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div className="min-w-0">
                <span className="font-medium">{k.name}</span> <span className="font-mono text-xs text-stone-600">rk_{k.prefix}_…</span>
                <div className="text-xs text-stone-600">{t("usage", { created: timeAgo(k.createdAt), used: timeAgo(k.lastUsedAt) })}</div>
              </div>
              {k.revokedAt ? (
                <Badge tone="gray">{t("revokedBadge")}</Badge>
              ) : (
                <button
                  type="button"
                  className="min-h-11 text-xs text-red-700 underline sm:min-h-0"
                  onClick={() => revoke.mutate({ apiKeyId: k.id })}
                  aria-label={t("revokeNamed", { name: k.name })}
                >
                  {t("revoke")}
                </button>
              )}
            </li>
          ))}
          {keys.data?.length === 0 && <li className="py-2 text-stone-600">{t("empty")}</li>}
        </ul>
      </div>
    </Card>
  );
}
