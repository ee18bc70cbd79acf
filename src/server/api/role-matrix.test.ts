import { expect } from "vitest";
import { describeRoleMatrix, type Actor, type World } from "@/test/role-matrix";
import { testDb } from "@/test/db";
import { createMasterNumber, callerAs } from "@/test/fixtures";
import { makeSendable } from "@/test/broadcast-world";

type Caller = ReturnType<typeof callerAs>;

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
  {
    procedure: "settings.whatsapp",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.settings.whatsapp(),
    ownedBy: async (result, world, actor) => {
      const own = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: ownTenant(world, actor).id } });
      expect((result as { language: string }).language).toBe(own.language);
    },
  },
  {
    procedure: "settings.updateWhatsapp",
    allowed: ["ownerA", "ownerB"],
    // owner A switches the language; owner B's call changes only B's row (the tenant is never an input)
    call: (caller, _world, actor) => caller.settings.updateWhatsapp({ language: actor === "ownerA" ? "ca" : "gl" }),
    ownedBy: async (_result, world, actor) => {
      const a = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: world.tenantA.id } });
      const b = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: world.tenantB.id } });
      if (actor === "ownerA") expect(a.language).toBe("ca");
      if (actor === "ownerB") expect([b.language, a.language]).toEqual(["gl", "ca"]);
    },
  },
  { procedure: "alerts.open", allowed: ["admin"], call: (caller) => caller.alerts.open() },
  {
    procedure: "alerts.acknowledge",
    allowed: ["admin"],
    call: async (caller) => {
      const alert = await testDb().alert.create({ data: { kind: "probe", severity: "INFO", title: "t", message: "m" } });
      return caller.alerts.acknowledge({ alertId: alert.id });
    },
  },
  { procedure: "audit.list", allowed: ["admin"], call: (caller) => caller.audit.list({}) },
  { procedure: "audit.actions", allowed: ["admin"], call: (caller) => caller.audit.actions() },
  { procedure: "tenants.list", allowed: ["admin"], call: (caller) => caller.tenants.list({ search: "Matrix" }) },
  { procedure: "numbers.list", allowed: ["admin"], call: (caller) => caller.numbers.list() },
  { procedure: "numbers.refresh", allowed: ["admin"], call: (caller) => caller.numbers.refresh() },
  {
    procedure: "numbers.assign",
    allowed: ["admin"],
    call: async (caller, world) => {
      const number = await createMasterNumber(testDb());
      await testDb().whatsAppSettings.update({ where: { tenantId: world.tenantA.id }, data: { phoneNumberId: null } });
      return caller.numbers.assign({ tenantId: world.tenantA.id, phoneNumberId: number.id });
    },
  },
  {
    procedure: "numbers.unassign",
    allowed: ["admin"],
    call: async (caller, world) => {
      const number = await createMasterNumber(testDb());
      await testDb().whatsAppSettings.update({ where: { tenantId: world.tenantB.id }, data: { phoneNumberId: number.id } });
      return caller.numbers.unassign({ tenantId: world.tenantB.id });
    },
  },
  ...(() => {
    // Broadcasts: each owner acts on a bakery of its own that can send (WhatsApp on, a number, an approved template).
    const draft = { name: "Matrix offer", templateName: "po_notification", parameters: [{ kind: "field" as const, field: "name" as const }, { kind: "fixed" as const, value: "A" }, { kind: "fixed" as const, value: "B" }], audience: { kind: "all" as const } };
    const broadcastIn = async (world: World, actor: Actor, status: "DRAFT" | "SENDING" | "PAUSED") => {
      const tenantId = actor === "ownerB" ? world.tenantB.id : world.tenantA.id;
      const ready = await makeSendable(testDb(), tenantId);
      return testDb().broadcast.create({
        data: { tenantId, name: "Matrix", templateName: "po_notification", templateLanguage: "es", parameterSources: draft.parameters, audience: draft.audience, phoneNumberId: ready.phoneNumberId, status },
      });
    };
    const ownedByActor = async (result: unknown, world: World, actor: Actor) => {
      const id = (result as { id?: string } | undefined)?.id;
      if (id) expect((await testDb().broadcast.findUniqueOrThrow({ where: { id } })).tenantId).toBe(ownTenant(world, actor).id);
    };
    const owners = ["ownerA", "ownerB"] as const;
    return [
      {
        procedure: "broadcasts.list",
        allowed: owners,
        call: (caller: Caller) => caller.broadcasts.list(),
        ownedBy: async (result: unknown, world: World, actor: Actor) => {
          for (const b of result as { id: string }[]) await ownedByActor(b, world, actor);
        },
      },
      {
        procedure: "broadcasts.preview",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          if (actor !== "signedOut" && actor !== "admin") await makeSendable(testDb(), ownTenant(world, actor).id);
          return caller.broadcasts.preview(draft);
        },
      },
      {
        procedure: "broadcasts.create",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          if (actor !== "signedOut" && actor !== "admin") await makeSendable(testDb(), ownTenant(world, actor).id);
          return caller.broadcasts.create(draft);
        },
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.start",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          const b = await broadcastIn(world, actor, "DRAFT");
          await testDb().contact.create({ data: { tenantId: b.tenantId, phoneE164: `+3465${String(Date.now()).slice(-7)}`, optedIn: true } });
          return caller.broadcasts.start({ broadcastId: b.id });
        },
        ownedBy: ownedByActor,
      },
      { procedure: "broadcasts.pause", allowed: owners, call: async (caller: Caller, world: World, actor: Actor) => caller.broadcasts.pause({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }) },
      { procedure: "broadcasts.resume", allowed: owners, call: async (caller: Caller, world: World, actor: Actor) => caller.broadcasts.resume({ broadcastId: (await broadcastIn(world, actor, "PAUSED")).id }) },
      { procedure: "broadcasts.cancel", allowed: owners, call: async (caller: Caller, world: World, actor: Actor) => caller.broadcasts.cancel({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }) },
      {
        procedure: "broadcasts.progress",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => caller.broadcasts.progress({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
        ownedBy: ownedByActor,
      },
    ];
  })(),
]);
