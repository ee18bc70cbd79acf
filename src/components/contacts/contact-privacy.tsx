"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { contactErrorText } from "@/components/contacts/contact-errors";
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
  const t = useTranslations("contacts");
  const locale = useLocale();
  const toast = useToast();
  const [confirmErase, setConfirmErase] = useState(false);
  const exportData = api.gdpr.exportContact.useMutation({
    onSuccess: downloadFile,
    onError: (e) => toast("error", contactErrorText(t, locale, e)),
  });
  const erase = api.gdpr.eraseContact.useMutation({
    onSuccess: () => {
      setConfirmErase(false);
      toast("success", t("privacy.erased"));
      onErased();
    },
    onError: (e) => toast("error", contactErrorText(t, locale, e)),
  });
  const label = contact.name ?? contact.phoneE164;
  return (
    <span className="inline-flex flex-wrap justify-end gap-3 text-xs">
      <button
        type="button"
        className="text-brand-700 underline"
        disabled={exportData.isPending}
        onClick={() => exportData.mutate({ contactId: contact.id, format: "json" })}
      >
        {t("privacy.exportJson")}
      </button>
      <button
        type="button"
        className="text-brand-700 underline"
        disabled={exportData.isPending}
        onClick={() => exportData.mutate({ contactId: contact.id, format: "csv" })}
      >
        {t("privacy.exportCsv")}
      </button>
      <button type="button" className="text-red-700 underline" onClick={() => setConfirmErase(true)}>
        {t("privacy.erase")}
      </button>
      <ConfirmDialog
        open={confirmErase}
        title={t("privacy.eraseTitle", { name: label })}
        confirmLabel={t("privacy.eraseConfirm")}
        cancelLabel={t("privacy.cancel")}
        busyLabel={t("privacy.busy")}
        tone="danger"
        busy={erase.isPending}
        onCancel={() => setConfirmErase(false)}
        onConfirm={() => erase.mutate({ contactId: contact.id })}
      >
        <p className="text-left">{t("privacy.eraseBody", { name: label })}</p>
      </ConfirmDialog>
    </span>
  );
}
