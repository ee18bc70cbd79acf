"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef } from "react";

const toneClass = {
  brand: "bg-brand-700 hover:bg-brand-900",
  danger: "bg-red-700 hover:bg-red-800",
  warning: "bg-amber-700 hover:bg-amber-800",
} as const;

/**
 * A modal question with a clear consequence; `open` drives the native <dialog>. Its body may hold fields: the confirm
 * button submits the dialog's form, so Enter in a field confirms too.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  busyLabel,
  tone = "danger",
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  /** defaults to common.cancel / common.working */
  cancelLabel?: string;
  busyLabel?: string;
  tone?: keyof typeof toneClass;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const t = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onCancel={onCancel}
      aria-labelledby={titleId}
      data-testid={testId}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl backdrop:bg-stone-900/40"
    >
      <form
        className="p-6"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) onConfirm();
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold text-stone-900">
          {title}
        </h2>
        <div className="mt-2 space-y-3 text-sm text-stone-700">{children}</div>
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <button
            type="button"
            onClick={onCancel}
            className="min-h-11 rounded-md border border-stone-300 px-4 py-2 text-sm font-medium hover:bg-stone-50"
          >
            {cancelLabel ?? t("cancel")}
          </button>
          <button
            type="submit"
            disabled={busy}
            className={`min-h-11 rounded-md px-4 py-2 text-sm font-semibold text-white disabled:opacity-60 ${toneClass[tone]}`}
          >
            {busy ? (busyLabel ?? t("working")) : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
