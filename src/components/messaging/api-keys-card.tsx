"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { timeAgo } from "@/components/ui/format";
import { useToast } from "@/components/ui/toast";
import { api } from "@/trpc/react";

export function ApiKeysCard() {
  const toast = useToast();
  const utils = api.useUtils();
  const keys = api.apiKeys.list.useQuery();
  const [name, setName] = useState("");
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const create = api.apiKeys.create.useMutation({
    onSuccess: (k) => {
      setShown({ name: k.name, key: k.key });
      setName("");
      void utils.apiKeys.list.invalidate();
    },
    onError: (e) => toast("error", e.message),
  });
  const revoke = api.apiKeys.revoke.useMutation({
    onSuccess: () => {
      toast("success", "Key revoked: it stops working now.");
      void utils.apiKeys.list.invalidate();
    },
    onError: (e) => toast("error", e.message),
  });

  return (
    <Card
      title="API keys"
      description="Let your purchasing system send purchase-order notifications (POST /api/v1/purchase-orders). A key is shown once."
    >
      <div className="space-y-4">
        {shown && (
          <div className="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="new-api-key">
            <p>
              <strong>Copy the key for “{shown.name}” now</strong> — it will not be shown again.
            </p>
            <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs">{shown.key}</code>
            <button type="button" className="mt-2 text-xs underline" onClick={() => setShown(null)}>
              I saved it
            </button>
          </div>
        )}
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name });
          }}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Where it is used, e.g. Purchasing system"
            className="flex-1 rounded-md border border-stone-300 px-3 py-1.5 text-sm"
            required
          />
          <button
            type="submit"
            disabled={create.isPending}
            className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          >
            Create key
          </button>
        </form>
        <ul className="divide-y divide-stone-100 text-sm">
          {keys.data?.map((k) => (
            <li key={k.id} className="flex items-center justify-between py-2">
              <div>
                <span className="font-medium">{k.name}</span> <span className="font-mono text-xs text-stone-500">rk_{k.prefix}_…</span>
                <div className="text-xs text-stone-500">
                  created {timeAgo(k.createdAt)} · last used {timeAgo(k.lastUsedAt)}
                </div>
              </div>
              {k.revokedAt ? (
                <Badge tone="gray">Revoked</Badge>
              ) : (
                <button type="button" className="text-xs text-red-700 underline" onClick={() => revoke.mutate({ apiKeyId: k.id })}>
                  Revoke
                </button>
              )}
            </li>
          ))}
          {keys.data?.length === 0 && <li className="py-2 text-stone-500">No keys yet.</li>}
        </ul>
      </div>
    </Card>
  );
}
