/**
 * The tenant REST API, authenticated by a tenant API key (Settings → API keys); the key decides the tenant.
 *   POST /api/v1/purchase-orders  {"supplier_phone", "supplier_name", "order_number", "total"}
 * Answers 202 {"success": true, "status": "queued", ...} or the refusal {"success": false, "status": "refused",
 * "error": {code, message, details}} with Recado's error code.
 */
import { z } from "zod";
import type { Db } from "@/server/db";
import { authenticateApiKey } from "@/server/api-keys/api-keys";
import { orderTotalText } from "@/server/messaging/order-total";
import { notifyPurchaseOrder } from "@/server/messaging/purchase-orders";
import { assertStorableRequest, errorResponse, parseJsonBody } from "@/server/api/rest/http";

export type TenantRestContext = { db: Db };

async function withApiKey(
  req: Request,
  ctx: TenantRestContext,
  run: (caller: Awaited<ReturnType<typeof authenticateApiKey>>) => Promise<Response>,
) {
  try {
    assertStorableRequest(req);
    return await run(await authenticateApiKey({ db: ctx.db, authorization: req.headers.get("authorization") }));
  } catch (error) {
    const response = errorResponse(error);
    if (response.status === 401 || response.status === 500) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return Response.json({ ...body, status: "refused" }, { status: response.status });
  }
}

const totalExpected = 'expected the total as a number (245.8) or text with its currency, e.g. "245,80 €"';

const purchaseOrderBody = z.strictObject({
  supplier_phone: z
    .string({ error: 'expected the supplier\'s phone, e.g. "+34612345678"' })
    .trim()
    .min(1, 'expected the supplier\'s phone, e.g. "+34612345678"')
    .max(40),
  supplier_name: z
    .string({ error: 'expected the supplier\'s name, e.g. "Harinas del Norte"' })
    .trim()
    .min(1, 'expected the supplier\'s name, e.g. "Harinas del Norte"')
    .max(120),
  order_number: z
    .string({ error: 'expected the order number, e.g. "PO-1042"' })
    .trim()
    .min(1, 'expected the order number, e.g. "PO-1042"')
    .max(60),
  total: z.union([z.string().trim().min(1, totalExpected).max(40, totalExpected), z.number()], { error: totalExpected }),
});

export function createPurchaseOrderRest(req: Request, ctx: TenantRestContext) {
  return withApiKey(req, ctx, async ({ tenantId }) => {
    const body = await parseJsonBody(req, purchaseOrderBody);
    const total = orderTotalText(body.total);
    const result = await notifyPurchaseOrder({
      db: ctx.db,
      tenantId,
      supplierPhone: body.supplier_phone,
      supplierName: body.supplier_name,
      orderNumber: body.order_number,
      total,
    });
    return Response.json(
      {
        success: true,
        status: "queued",
        message_id: result.messageId,
        wamid: result.wamid,
        message_status: result.status.toLowerCase(),
        duplicate: result.replayed,
      },
      { status: 202 },
    );
  });
}
