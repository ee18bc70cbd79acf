/**
 * The admin REST API, for scripts and curl:
 *   GET    /api/v1/admin/whatsapp/phone-numbers
 *   GET    /api/v1/admin/whatsapp/tenants?search=&page=&page_size=
 *   POST   /api/v1/admin/whatsapp/tenants/{id}/assign-phone   {"phone_number_id": "...", "acknowledge_warnings": false}
 *   DELETE /api/v1/admin/whatsapp/tenants/{id}/unassign-phone
 * Same services as the tRPC procedures; only the wire shape (snake_case field names) differs.
 */
import type { Session } from "next-auth";
import { z } from "zod";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { assignPhoneNumber, unassignPhoneNumber } from "@/server/numbers/assignment";
import { listMasterPhoneNumbers, listTenantsWithWhatsApp } from "@/server/numbers/queries";
import { assertStorableRequest, errorResponse, parseJsonBody, resolveAdminActor } from "@/server/api/rest/http";

export type RestContext = { db: Db; session: Session | null; adminApiToken: string | undefined };

async function asAdmin(req: Request, ctx: RestContext, run: (actor: Awaited<ReturnType<typeof resolveAdminActor>>) => Promise<Response>) {
  try {
    assertStorableRequest(req);
    const actor = await resolveAdminActor({
      db: ctx.db,
      authorization: req.headers.get("authorization"),
      session: ctx.session,
      adminApiToken: ctx.adminApiToken,
    });
    return await run(actor);
  } catch (error) {
    return errorResponse(error);
  }
}

export function listPhoneNumbersRest(req: Request, ctx: RestContext) {
  return asAdmin(req, ctx, async () => {
    const { numbers } = await listMasterPhoneNumbers({ db: ctx.db });
    return Response.json(
      numbers.map((n) => ({
        id: n.metaPhoneNumberId,
        display_phone_number: n.displayPhoneNumber,
        verified_name: n.verifiedName,
        quality_rating: n.qualityRating === "UNRATED" ? "UNKNOWN" : n.qualityRating,
        status: n.status,
        assigned_tenant_id: n.assignedTo?.tenantId ?? null,
        assigned_tenant_name: n.assignedTo?.tenantName ?? null,
      })),
    );
  });
}

const tenantsQuery = z.object({
  search: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1, "expected a page number from 1, e.g. page=2").default(1),
  page_size: z.coerce.number().int().min(1).max(100, "expected at most 100 per page").default(50),
});

export function listTenantsRest(req: Request, ctx: RestContext) {
  return asAdmin(req, ctx, async () => {
    const query = tenantsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const result = await listTenantsWithWhatsApp({
      db: ctx.db,
      search: query.search || undefined,
      page: query.page,
      pageSize: query.page_size,
    });
    return Response.json(
      result.tenants.map((t) => ({
        tenant_id: t.id,
        tenant_name: t.name,
        whatsapp_enabled: t.enabled,
        phone_number_id: t.phoneNumber?.metaPhoneNumberId ?? null,
        display_phone_number: t.phoneNumber?.displayPhoneNumber ?? null,
        language: t.language,
      })),
      { headers: { "X-Total-Count": String(result.total), "X-Page": String(result.page), "X-Page-Size": String(result.pageSize) } },
    );
  });
}

const assignBody = z.object({
  phone_number_id: z.string().regex(/^\d+$/, 'expected Meta\'s numeric phone number id, e.g. "106540352242922"'),
  // accepted for compatibility with older scripts; the number's display form comes from our records
  display_phone_number: z.string().optional(),
  acknowledge_warnings: z.boolean().default(false),
});

export function assignPhoneRest(req: Request, ctx: RestContext, tenantId: string) {
  return asAdmin(req, ctx, async (actor) => {
    const body = await parseJsonBody(req, assignBody);
    const number = await ctx.db.phoneNumber.findUnique({ where: { metaPhoneNumberId: body.phone_number_id }, select: { id: true } });
    if (!number) {
      throw new AppError("NOT_FOUND", `No phone number ${body.phone_number_id} in the shared account. Refresh the numbers list first.`, {
        field: "phone_number_id",
      });
    }
    const result = await assignPhoneNumber({
      db: ctx.db,
      actor,
      tenantId,
      phoneNumberId: number.id,
      acknowledgeWarnings: body.acknowledge_warnings,
    });
    return Response.json({
      success: true,
      message: `Phone number ${result.displayPhoneNumber} assigned to the bakery ${result.tenantName}`,
      tenant_id: result.tenantId,
      phone_number_id: result.metaPhoneNumberId,
      display_phone_number: result.displayPhoneNumber,
    });
  });
}

export function unassignPhoneRest(req: Request, ctx: RestContext, tenantId: string) {
  return asAdmin(req, ctx, async (actor) => {
    const result = await unassignPhoneNumber({ db: ctx.db, actor, tenantId });
    return Response.json({
      success: true,
      message: `Phone number ${result.displayPhoneNumber} unassigned from the bakery ${result.tenantName}`,
      tenant_id: result.tenantId,
      phone_number_id: result.metaPhoneNumberId,
      display_phone_number: result.displayPhoneNumber,
    });
  });
}
