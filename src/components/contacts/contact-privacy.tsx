"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { downloadFile } from "@/components/ui/download";
import { api } from "@/trpc/react";

/** GDPR requests for one contact: export everything held about it (JSON or CSV), or erase it after a confirmation. */
export function ContactPrivacy({
  contact,
  onErased,
}: {
  contact: { id: string; name: string | null; phoneE164: string };
  onErased: () => void;
}) {
  const toast = useToast();
  const [confirmErase, setConfirmErase] = useState(false);
  const exportData = api.gdpr.exportContact.useMutation({ onSuccess: downloadFile, onError: (e) => toast("error", e.message) });
  const erase = api.gdpr.eraseContact.useMutation({
    onSuccess: () => {
      setConfirmErase(false);
      toast("success", "Contact erased. Its consent records are kept as proof, with the number hashed.");
      onErased();
    },
    onError: (e) => toast("error", e.message),
  });
  const label = contact.name ?? contact.phoneE164;
  return (
    <span className="inline-flex flex-wrap justify-end gap-2 text-xs">
      <button
        type="button"
        className="text-brand-700 underline"
        disabled={exportData.isPending}
        onClick={() => exportData.mutate({ contactId: contact.id, format: "json" })}
      >
        Export JSON
      </button>
      <button
        type="button"
        className="text-brand-700 underline"
        disabled={exportData.isPending}
        onClick={() => exportData.mutate({ contactId: contact.id, format: "csv" })}
      >
        Export CSV
      </button>
      <button type="button" className="text-red-700 underline" onClick={() => setConfirmErase(true)}>
        Erase
      </button>
      <ConfirmDialog
        open={confirmErase}
        title={`Erase ${label}?`}
        confirmLabel="Erase contact"
        busy={erase.isPending}
        onCancel={() => setConfirmErase(false)}
        onConfirm={() => erase.mutate({ contactId: contact.id })}
      >
        The name, number and tags of {label} and the words of every message with them are removed for good, also from stored webhooks. The
        consent records stay as proof of consent, with the number replaced by a one-way hash. This cannot be undone.
      </ConfirmDialog>
    </span>
  );
}
