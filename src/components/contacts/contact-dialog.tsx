"use client";

import { useEffect, useRef } from "react";

/** A modal question of the contacts pages (native <dialog>), with its buttons in the user's language. */
export function ContactDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  busyLabel,
  tone = "brand",
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busyLabel: string;
  tone?: "brand" | "danger";
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
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
      aria-labelledby={testId ? `${testId}-title` : undefined}
      data-testid={testId}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl backdrop:bg-stone-900/40"
    >
      <form
        className="p-6"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={testId ? `${testId}-title` : undefined} className="text-lg font-semibold text-stone-900">
          {title}
        </h2>
        <div className="mt-2 space-y-3 text-sm text-stone-700">{children}</div>
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <button
            type="button"
            onClick={onCancel}
            className="min-h-11 rounded-md border border-stone-300 px-4 py-2 text-sm font-medium hover:bg-stone-50"
          >
            {cancelLabel}
          </button>
          <button
            type="submit"
            disabled={busy}
            className={`min-h-11 rounded-md px-4 py-2 text-sm font-semibold text-white disabled:opacity-60 ${
              tone === "danger" ? "bg-red-700 hover:bg-red-800" : "bg-brand-700 hover:bg-brand-900"
            }`}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
