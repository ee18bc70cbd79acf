/**
 * The purchase-order notification: the bakery's purchasing system says "PO created" and the supplier gets
 * `po_notification` ({{1}} supplier, {{2}} order number, {{3}} total) in the bakery's language, from its number
 * (or the platform's default number when it has none). The order number is the idempotency key: the same order
 * posted twice (a retry after a timeout) notifies once. The same number with other content (another supplier, name
 * or total) is a different order that would otherwise be silently dropped: it is refused with IDEMPOTENCY_CONFLICT
 * naming both orders, and nothing is sent or created.
 *
 * A supplier the bakery's system names for the first time is created opted in (source "api": the bakery vouches
 * for the business relationship); a supplier who has opted out (e.g. sent BAJA) is refused.
 */
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createContact, tenantRegion } from "@/server/contacts/contacts";
import { normalizePhoneOrThrow } from "@/server/contacts/phone";
import { sendMessage, type SendResult } from "@/server/messaging/send";

export const poTemplateName = "po_notification";

export async function notifyPurchaseOrder({
  db,
  tenantId,
  supplierPhone,
  supplierName,
  orderNumber,
  total,
}: {
  db: Db;
  tenantId: string;
  supplierPhone: string;
  supplierName: string;
  orderNumber: string;
  total: string;
}): Promise<SendResult & { contactId: string }> {
  const supplierPhoneE164 = normalizePhoneOrThrow(supplierPhone, await tenantRegion(db, tenantId));
  const order = { orderNumber, supplierPhone: supplierPhoneE164, supplierName, total };
  const idempotencyKey = `purchase-order:${orderNumber}`;
  await refuseConflictingOrder(db, tenantId, idempotencyKey, order);

  const existing = await db.contact.findUnique({ where: { tenantId_phoneE164: { tenantId, phoneE164: supplierPhoneE164 } } });
  const contact =
    existing ?? (await createContact({ db, tenantId, phone: supplierPhoneE164, name: supplierName, optedIn: true, source: "api" }));
  const result = await sendMessage({
    db,
    tenantId,
    contactId: contact.id,
    content: { kind: "template", templateName: poTemplateName, parameters: [supplierName, orderNumber, total] },
    source: "api",
    idempotencyKey,
    allowDefaultNumber: true,
  });
  // a concurrent request with the same number but other content may have won the insert in between
  if (result.replayed) await refuseConflictingOrder(db, tenantId, idempotencyKey, order);
  return { ...result, contactId: contact.id };
}

type OrderContent = { orderNumber: string; supplierPhone: string; supplierName: string; total: string };

async function refuseConflictingOrder(db: Db, tenantId: string, idempotencyKey: string, order: OrderContent) {
  const earlier = await db.message.findUnique({
    where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } },
    select: { id: true, createdAt: true, parameters: true, contact: { select: { phoneE164: true } } },
  });
  if (!earlier) return;
  const first: OrderContent = {
    orderNumber: order.orderNumber,
    supplierPhone: earlier.contact.phoneE164,
    supplierName: earlier.parameters[0] ?? "",
    total: earlier.parameters[2] ?? "",
  };
  const differs = (["supplierPhone", "supplierName", "total"] as const).filter((field) => first[field] !== order[field]);
  if (differs.length === 0) return;
  const asJson = (o: OrderContent) => ({
    order_number: o.orderNumber,
    supplier_phone: o.supplierPhone,
    supplier_name: o.supplierName,
    total: o.total,
  });
  const snake = { supplierPhone: "supplier_phone", supplierName: "supplier_name", total: "total" } as const;
  throw new AppError(
    "IDEMPOTENCY_CONFLICT",
    `Order '${order.orderNumber}' was already sent to ${first.supplierName} (${first.supplierPhone}) for ${first.total}; ` +
      `this request has a different ${differs.map((f) => snake[f]).join(", ")}. ` +
      "Nothing was sent: use a new order number for a different order.",
    {
      order_number: order.orderNumber,
      differs: differs.map((f) => snake[f]),
      first_order: { ...asJson(first), message_id: earlier.id, sent_at: earlier.createdAt.toISOString() },
      this_order: asJson(order),
    },
  );
}
