/**
 * The role matrix: for every tRPC procedure, who may call it. `describeRoleMatrix` turns the table into tests
 * that call each procedure as every actor (signed out, platform admin, owner of bakery A, owner of bakery B)
 * and assert that the allowed ones succeed and everyone else is refused with UNAUTHORIZED, FORBIDDEN or
 * NOT_FOUND. It also fails when a procedure exists that the table does not list, so a new procedure cannot
 * ship without saying who may call it.
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import type { Db } from "@/server/db";
import { callerAs, createAdmin, createTenantWithOwner } from "@/test/fixtures";
import { expectNoLeak, sweepingCaller, type SweepVariant, type SweptAnswer } from "@/test/error-sweep";

export const actors = ["signedOut", "admin", "ownerA", "ownerB"] as const;
export type Actor = (typeof actors)[number];

export type World = Awaited<ReturnType<typeof createWorld>>;
type Caller = ReturnType<typeof callerAs>;

export type RoleMatrixEntry = {
  /** dotted procedure path, e.g. "admin.stats" */
  procedure: string;
  allowed: readonly Actor[];
  /** calls the procedure with valid input as the given actor */
  call: (caller: Caller, world: World, actor: Actor) => Promise<unknown>;
  /** for tenant procedures: what an allowed actor gets back must belong to that actor's own bakery */
  ownedBy?: (result: unknown, world: World, actor: Actor) => void | Promise<void>;
};

async function createWorld(db: Db) {
  const [a, b, admin] = await Promise.all([
    createTenantWithOwner(db, "Matrix Bakery A"),
    createTenantWithOwner(db, "Matrix Bakery B"),
    createAdmin(db),
  ]);
  const users = { signedOut: null, admin, ownerA: a.owner, ownerB: b.owner } as const;
  const tenantOf = { ownerA: a.tenant, ownerB: b.tenant } as const;
  return { users, tenantOf, tenantA: a.tenant, tenantB: b.tenant };
}

export const refusedCodes = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];

export function listedProcedures(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

export function describeRoleMatrix(getDb: () => Db, entries: RoleMatrixEntry[]) {
  describe("role matrix", () => {
    let world: World;
    beforeAll(async () => {
      world = await createWorld(getDb());
    });

    it("lists every procedure of the app router", () => {
      expect(entries.map((entry) => entry.procedure).sort()).toEqual(listedProcedures());
    });

    for (const entry of entries) {
      for (const actor of actors) {
        const allowed = entry.allowed.includes(actor);
        it(`${entry.procedure}: ${actor} is ${allowed ? "allowed" : "refused"}`, async () => {
          const caller = callerAs(getDb(), world.users[actor]);
          const attempt = entry.call(caller, world, actor);
          if (allowed) {
            const result = await attempt;
            await entry.ownedBy?.(result, world, actor);
          } else {
            const error = await attempt.then(
              () => null,
              (e: unknown) => e,
            );
            expect(error, `${actor} must not be able to call ${entry.procedure}`).toBeInstanceOf(TRPCError);
            expect(refusedCodes).toContain((error as TRPCError).code);
          }
        });
      }
    }
  });

  // src/test/error-sweep.ts: every procedure of this table, over HTTP, with unknown ids and with NUL bytes
  describe("error sweep", () => {
    let world: World;
    beforeAll(async () => {
      world = await createWorld(getDb());
    });
    for (const variant of ["unknown id", "NUL byte"] as SweepVariant[]) {
      for (const entry of entries) {
        const actor = entry.allowed[0] ?? "signedOut";
        it(`${entry.procedure} with ${variant}: never a 500, never internals`, async () => {
          const answers: SweptAnswer[] = [];
          const caller = sweepingCaller(getDb(), world.users[actor], variant, answers) as unknown as Caller;
          await entry.call(caller, world, actor).catch(() => undefined);
          expect(answers.length, `${entry.procedure} made no call`).toBeGreaterThan(0);
          for (const answer of answers) expectNoLeak(answer);
        });
      }
    }
  });
}
