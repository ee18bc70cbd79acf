/**
 * What each blank of a template is, for people who fill them in: Meta's placeholders are {{1}} {{2}} {{3}} (or
 * named, {{supplier}}), and the template's example values say what goes there ("Harinas del Norte",
 * "PO-2024-0042", "125,50 €"). The kind is read from the example (and, for a name after a greeting, from the
 * template); the UI turns it into a translated label ("Proveedor", "Número de pedido", "Total") and shows the
 * example as the hint. Shared by server and UI; no UI text here.
 */
export type BlankKind = "supplier" | "customerName" | "orderNumber" | "total" | "date" | "time" | "quantity" | "text" | "named";

export type TemplateBlank = {
  /** the placeholder as the template writes it: "1" or "supplier" */
  placeholder: string;
  kind: BlankKind;
  /** for named placeholders: the name made readable ("delivery_date" → "Delivery date") */
  label: string | null;
  /** the template's example value, "" when it has none */
  example: string;
};

const money = /(€|\$|£|\b(EUR|USD|GBP)\b)|^\d{1,3}([.,]\d{3})*[.,]\d{2}$/i;
const orderReference = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+([-/_ ][A-Za-z0-9]+)*$/;
const numericDate = /^(\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{4}-\d{2}-\d{2})$/;
const weekday =
  /^(lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|dilluns|dimarts|dimecres|dijous|divendres|dissabte|diumenge|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const clock = /^\d{1,2}([:.h]\d{2})\s*(h|am|pm)?$/i;
const greeting = /(hola|hello|hi|dear|estimad[oa]s?|bon dia|bona tarda|buenos días|buenos dias|buenas tardes|benvolgut|benvolguda)[\s,]*$/i;
const purchaseOrder = /(^|_)(po|purchase|compra|proveedor|proveedores|supplier|proveidor)(_|$)/i;

function kindOf(example: string, before: string, templateName: string): BlankKind {
  const value = example.trim();
  if (value && money.test(value)) return "total";
  if (value && (numericDate.test(value) || weekday.test(value))) return "date";
  if (value && clock.test(value)) return "time";
  if (/^\d+$/.test(value))
    return /(pedido|order|comanda|albarán|factura|invoice)\s*(n\.?º|no\.?|núm\.?|number)?\s*$/i.test(before) ? "orderNumber" : "quantity";
  if (value && orderReference.test(value) && !/\s/.test(value)) return "orderNumber";
  if (greeting.test(before)) return purchaseOrder.test(templateName) ? "supplier" : "customerName";
  return "text";
}

const readable = (name: string) => {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The blanks of a template in the order of its parameterNames. */
export function templateBlanks(template: {
  name: string;
  bodyText: string | null;
  parameterNames: string[];
  parameterExamples?: string[];
}): TemplateBlank[] {
  const body = template.bodyText ?? "";
  return template.parameterNames.map((placeholder, i) => {
    const example = template.parameterExamples?.[i] ?? "";
    if (!/^\d+$/.test(placeholder)) return { placeholder, kind: "named" as const, label: readable(placeholder), example };
    const at = body.search(new RegExp(`\\{\\{\\s*${placeholder}\\s*\\}\\}`));
    const before = at > 0 ? body.slice(Math.max(0, at - 40), at) : "";
    return { placeholder, kind: kindOf(example, before, template.name), label: null, example };
  });
}

/**
 * The body with its placeholders filled in ({{1}} or {{name}}, in the order of parameterNames); a blank without
 * a value shows `missing(i)` (the UI's "[Proveedor]"), or stays as written when no `missing` is given.
 */
export function fillTemplateBody(
  bodyText: string | null,
  parameterNames: string[],
  values: (string | undefined)[],
  missing?: (index: number) => string,
): string {
  if (!bodyText) return values.filter(Boolean).join(" · ");
  return bodyText.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const index = parameterNames.indexOf(name);
    if (index < 0) return whole;
    const value = values[index];
    if (value !== undefined && value.trim() !== "") return value;
    return missing ? missing(index) : whole;
  });
}
