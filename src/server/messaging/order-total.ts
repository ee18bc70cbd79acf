/**
 * A purchase order's total as the REST API accepts it: a positive amount up to `orderTotalLimit.max`, with at most
 * two decimals, either a JSON number (245.8, shown to the supplier as "245,80 €") or text with its currency as the
 * supplier should read it ("245,80 €", "€1.245,80", "245.80 EUR"). Anything else is refused naming the field.
 */
import { AppError } from "@/server/errors";

export const orderTotalLimit = { max: 1_000_000 };

const expected =
  `a positive amount up to ${orderTotalLimit.max.toLocaleString("es-ES")} with at most two decimals: ` +
  `a number (245.8) or text with its currency ("245,80 €")`;
const example = "245,80 €";

const currency = String.raw`(?:€|\$|£|[A-Z]{3})`;
/** digits with optional thousands separators (. , space or no-break space) and an optional 1–2 digit decimal part */
const amount = String.raw`(\d{1,3}(?:[., \u00a0]\d{3})+|\d+)(?:[.,](\d{1,2}))?`;
const withCurrency = new RegExp(String.raw`^(?:${currency}[ \u00a0]?${amount}|${amount}[ \u00a0]?${currency})$`);

function refuse(provided: unknown, why: string): never {
  throw new AppError("VALIDATION_FAILED", `Invalid input: total — ${why}; expected ${expected}, e.g. "${example}".`, {
    field: "total",
    expected,
    example,
    provided,
    fieldErrors: { total: [`expected ${expected}, e.g. "${example}"`] },
  });
}

/** The total as the text sent to the supplier; throws VALIDATION_FAILED (field "total") when it is not an amount. */
export function orderTotalText(total: number | string): string {
  if (typeof total === "number") {
    if (!Number.isFinite(total) || total <= 0) refuse(total, "not a positive amount");
    if (total > orderTotalLimit.max) refuse(total, `more than ${orderTotalLimit.max}`);
    if (Math.round(total * 100) / 100 !== total) refuse(total, "more than two decimals");
    return new Intl.NumberFormat("es-ES", { style: "currency", currency: "EUR" }).format(total).replace(/\s/g, " ");
  }
  const text = total.trim();
  const match = withCurrency.exec(text);
  if (!match) refuse(total, "not an amount with its currency");
  const whole = match[1] ?? match[3] ?? "";
  const decimals = match[2] ?? match[4] ?? "";
  const value = Number(whole.replace(/[., \u00a0]/g, "")) + (decimals ? Number(`0.${decimals}`) : 0);
  if (!(value > 0)) refuse(total, "not a positive amount");
  if (value > orderTotalLimit.max) refuse(total, `more than ${orderTotalLimit.max}`);
  return text;
}
