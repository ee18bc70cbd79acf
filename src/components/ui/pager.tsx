import { useTranslations } from "next-intl";

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const t = useTranslations("common");
  return (
    <nav aria-label={t("pagination")} className="flex flex-wrap items-center justify-end gap-3 text-sm">
      <button
        type="button"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
        className="min-h-11 rounded-md border border-stone-300 px-3 py-1.5 disabled:opacity-40 sm:min-h-0"
      >
        {t("previous")}
      </button>
      <span>{t("pageOf", { page, pages })}</span>
      <button
        type="button"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
        className="min-h-11 rounded-md border border-stone-300 px-3 py-1.5 disabled:opacity-40 sm:min-h-0"
      >
        {t("next")}
      </button>
    </nav>
  );
}
