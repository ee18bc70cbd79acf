import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createCallerFactory, createTRPCRouter, publicProcedure, tenantProcedure } from "@/server/api/trpc";
import { AppError } from "@/server/errors";
import { testDb } from "@/test/db";
import { createAdmin, createTenantWithOwner, sessionFor } from "@/test/fixtures";

// A throw-away router that exercises the procedure builders and the error formatter the real routers use.
const probeRouter = createTRPCRouter({
  echo: publicProcedure
    .input(z.object({ phone: z.string().regex(/^\+\d{8,15}$/, "expected E.164, e.g. +34612345678"), count: z.number().int().min(1) }))
    .query(({ input }) => input),
  conflict: publicProcedure.mutation(() => {
    throw new AppError("CONFLICT", "Number already assigned to Panadería San Juan", { tenantName: "Panadería San Juan" });
  }),
  whoseTenant: tenantProcedure.query(({ ctx }) => ctx.tenantId),
});
const createProbeCaller = createCallerFactory(probeRouter);

describe("tRPC procedures", () => {
  it("reports bad input per field with the expected format", async () => {
    const caller = createProbeCaller({ db: testDb(), session: null });
    const error = await caller.echo({ phone: "612", count: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");

    // the formatter is what clients see: run it through the router's own error shape
    const shape = probeRouter._def._config.errorFormatter({
      error: error as TRPCError,
      type: "query",
      path: "echo",
      input: { phone: "612", count: 0 },
      ctx: undefined,
      shape: {
        message: (error as TRPCError).message,
        code: -32600,
        data: { code: "BAD_REQUEST", httpStatus: 400, path: "echo", stack: "x" },
      },
    }) as {
      message: string;
      data: { fieldErrors: Record<string, string[]>; issues: Record<string, unknown>[]; appCode: string; stack?: string };
    };
    expect(shape.data.fieldErrors.phone).toEqual(["expected E.164, e.g. +34612345678"]);
    expect(shape.data.fieldErrors.count?.[0]).toMatch(/>=\s*1/);
    expect(shape.data.appCode).toBe("VALIDATION_FAILED");
    // the facts the browser words in the reader's language (src/components/ui/error-message.ts), never the input
    expect(shape.data.issues).toContainEqual(expect.objectContaining({ path: "count", code: "too_small", minimum: 1, origin: "number" }));
    expect(JSON.stringify(shape.data.issues)).not.toContain('"input"');
    expect(shape.message).toContain("phone — expected E.164, e.g. +34612345678");
    expect(shape.data.stack).toBeUndefined();
  });

  it("turns a domain AppError into the matching tRPC code with its details", async () => {
    const caller = createProbeCaller({ db: testDb(), session: null });
    const error = (await caller.conflict().catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe("Number already assigned to Panadería San Juan");
    expect((error.cause as AppError).details).toEqual({ tenantName: "Panadería San Juan" });
  });

  it("takes the tenant from the database row of the session user, not from the session claims", async () => {
    const db = testDb();
    const { owner, tenant } = await createTenantWithOwner(db);
    const { tenant: other } = await createTenantWithOwner(db);
    // a forged or stale session claiming another tenant changes nothing
    const session = sessionFor({ ...owner, tenantId: other.id });
    expect(await createProbeCaller({ db, session }).whoseTenant()).toBe(tenant.id);
  });

  it("refuses a session whose user no longer exists", async () => {
    const db = testDb();
    const admin = await createAdmin(db);
    await db.user.delete({ where: { id: admin.id } });
    const error = (await createProbeCaller({ db, session: sessionFor(admin) })
      .whoseTenant()
      .catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("UNAUTHORIZED");
  });
});
