import { expect } from "vitest";
import { describeRoleMatrix, type Actor, type World } from "@/test/role-matrix";
import { testDb } from "@/test/db";

const ownTenant = (world: World, actor: Actor) => (actor === "ownerA" ? world.tenantA : world.tenantB);

// Every procedure joins this table: who may call it. A procedure missing here fails the first test.
describeRoleMatrix(testDb, [
  {
    procedure: "account.me",
    allowed: ["admin", "ownerA", "ownerB"],
    call: (caller) => caller.account.me(),
    ownedBy: (result, world, actor) => {
      const me = result as { id: string; tenant: { id: string } | null };
      expect(me.id).toBe(world.users[actor]?.id);
      if (actor !== "admin") expect(me.tenant?.id).toBe(ownTenant(world, actor).id);
    },
  },
  {
    procedure: "bakery.overview",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.bakery.overview(),
    ownedBy: (result, world, actor) => expect((result as { id: string }).id).toBe(ownTenant(world, actor).id),
  },
  {
    procedure: "admin.stats",
    allowed: ["admin"],
    call: (caller) => caller.admin.stats(),
  },
]);
