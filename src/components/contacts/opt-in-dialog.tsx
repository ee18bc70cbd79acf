"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { optInMethods, type OptInMethod } from "@/lib/consent";

/** "Record opt-in" asks first: is it true, and how did they agree (kept with the consent record). */
export function OptInDialog({
  name,
  open,
  busy,
  onConfirm,
  onCancel,
}: {
  name: string;
  open: boolean;
  busy: boolean;
  onConfirm: (method: OptInMethod) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("contacts.optIn");
  const [method, setMethod] = useState<OptInMethod | null>(null);
  const [missing, setMissing] = useState(false);
  return (
    <ConfirmDialog
      open={open}
      testId="opt-in-dialog"
      tone="brand"
      title={t("title", { name })}
      confirmLabel={t("confirm")}
      cancelLabel={t("cancel")}
      busyLabel={t("busy")}
      busy={busy}
      onCancel={() => {
        setMissing(false);
        onCancel();
      }}
      onConfirm={() => {
        if (!method) setMissing(true);
        else onConfirm(method);
      }}
    >
      <p>{t("body", { name })}</p>
      <fieldset aria-describedby={missing ? "opt-in-missing" : undefined}>
        <legend className="font-medium text-stone-900">{t("source")}</legend>
        <div className="mt-2 space-y-1">
          {optInMethods.map((m) => (
            <label key={m} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md px-2 hover:bg-stone-50">
              <input
                type="radio"
                name="opt-in-method"
                value={m}
                checked={method === m}
                onChange={() => {
                  setMethod(m);
                  setMissing(false);
                }}
                className="h-4 w-4 accent-brand-700"
              />
              {t(`methods.${m}`)}
            </label>
          ))}
        </div>
        {missing && (
          <p id="opt-in-missing" role="alert" className="mt-1 text-sm text-red-800">
            {t("chooseSource")}
          </p>
        )}
      </fieldset>
    </ConfirmDialog>
  );
}
