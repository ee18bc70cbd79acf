import { describe, expect, it } from "vitest";
import { fillTemplateBody, templateBlanks } from "@/lib/template-blanks";
import { instantOf, wallTimeOf } from "@/lib/zoned-time";

describe("templateBlanks", () => {
  it("names positional blanks from their examples and the words around them", () => {
    const kinds = (name: string, bodyText: string, parameterExamples: string[]) =>
      templateBlanks({ name, bodyText, parameterNames: parameterExamples.map((_, i) => String(i + 1)), parameterExamples }).map(
        (b) => b.kind,
      );
    expect(
      kinds("po_notification", "Hola {{1}}, te enviamos el pedido {{2}} por un total de {{3}}.", [
        "Harinas del Norte",
        "PO-2024-0042",
        "125,50 €",
      ]),
    ).toEqual(["supplier", "orderNumber", "total"]);
    expect(
      kinds("pedido_listo", "Hola {{1}}, tu pedido {{2}} estará listo el {{3}} a las {{4}}.", ["Ana", "1042", "24/12", "10:30"]),
    ).toEqual(["customerName", "orderNumber", "date", "time"]);
    expect(kinds("oferta", "Hola {{1}}: {{2}} unidades de {{3}}.", ["Ana", "6", "croissants"])).toEqual([
      "customerName",
      "quantity",
      "text",
    ]);
    // no examples: nothing is guessed from them
    expect(kinds("aviso", "Aviso: {{1}}", [""])).toEqual(["text"]);
  });

  it("keeps named placeholders' own names, readable", () => {
    expect(
      templateBlanks({ name: "x", bodyText: "{{delivery_date}}", parameterNames: ["delivery_date"], parameterExamples: ["lunes"] }),
    ).toEqual([{ placeholder: "delivery_date", kind: "named", label: "Delivery date", example: "lunes" }]);
  });

  it("fills the body as the customer reads it, showing what is still missing", () => {
    const body = "Hola {{1}}, pedido {{2}} por {{3}}.";
    expect(fillTemplateBody(body, ["1", "2", "3"], ["Harinas", "PO-1", "10 €"])).toBe("Hola Harinas, pedido PO-1 por 10 €.");
    expect(fillTemplateBody(body, ["1", "2", "3"], ["Harinas", "", undefined], (i) => `[${i}]`)).toBe("Hola Harinas, pedido [1] por [2].");
  });
});

describe("zoned time", () => {
  it("turns a Madrid wall time into the instant, in winter and summer, and refuses the skipped spring hour", () => {
    expect(instantOf({ date: "2026-12-24", time: "09:00" }, "Europe/Madrid")?.toISOString()).toBe("2026-12-24T08:00:00.000Z");
    expect(instantOf({ date: "2027-07-01", time: "09:00" }, "Europe/Madrid")?.toISOString()).toBe("2027-07-01T07:00:00.000Z");
    expect(instantOf({ date: "2027-03-28", time: "02:30" }, "Europe/Madrid")).toBeNull();
    expect(instantOf({ date: "2027-02-30", time: "09:00" }, "Europe/Madrid")).toBeNull();
    // the autumn hour that happens twice: the first
    expect(instantOf({ date: "2027-10-31", time: "02:30" }, "Europe/Madrid")?.toISOString()).toBe("2027-10-31T00:30:00.000Z");
    expect(wallTimeOf(new Date("2026-12-24T08:00:00Z"), "Atlantic/Canary")).toEqual({ date: "2026-12-24", time: "08:00" });
  });
});
