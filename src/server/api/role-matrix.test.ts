import { expect } from "vitest";
import { describeRoleMatrix, type Actor, type World } from "@/test/role-matrix";
import { testDb } from "@/test/db";
import { createMasterNumber } from "@/test/fixtures";
import { customerWabaId, sharedSimulator } from "@/test/health-fixtures";

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
  // Number health and registration (issue 5): admin-only actions on any number; owners see their own line only.
  { procedure: "health.number", allowed: ["admin"], call: async (caller) => caller.health.number({ phoneNumberId: (await createMasterNumber(testDb())).id }) },
  { procedure: "health.check", allowed: ["admin"], call: async (caller) => caller.health.check({ phoneNumberId: (await createMasterNumber(testDb())).id }) },
  {
    procedure: "health.completeRegistration",
    allowed: ["admin"],
    call: async (caller) => caller.health.completeRegistration({ phoneNumberId: (await createMasterNumber(testDb())).id }),
  },
  { procedure: "health.resetOnboarding", allowed: ["admin"], call: async (caller) => caller.health.resetOnboarding({ phoneNumberId: (await createMasterNumber(testDb())).id }) },
  {
    procedure: "health.mine",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") {
        const number = await createMasterNumber(testDb());
        await testDb().whatsAppSettings.update({ where: { tenantId: ownTenant(world, actor).id }, data: { phoneNumberId: number.id } });
      }
      return caller.health.mine();
    },
    ownedBy: async (result, world, actor) => {
      const own = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: ownTenant(world, actor).id }, include: { phoneNumber: true } });
      expect((result as { number?: string }).number).toBe(own.phoneNumber?.displayPhoneNumber);
    },
  },
  // Embedded Signup (issue 5): only bakery owners, always for their own bakery.
  {
    procedure: "signup.status",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.signup.status(),
    ownedBy: async (result, world, actor) => {
      const status = result as { connected: boolean; wabaId?: string };
      if (status.connected) expect((await testDb().businessAccount.findUniqueOrThrow({ where: { wabaId: status.wabaId! } })).tenantId).toBe(ownTenant(world, actor).id);
    },
  },
  { procedure: "signup.simulatePopup", allowed: ["ownerA", "ownerB"], call: (caller) => caller.signup.simulatePopup() },
  {
    procedure: "signup.connect",
    allowed: ["ownerA", "ownerB"],
    call: async (caller) => {
      // each call starts from the simulator's default world, where the customer account is free
      await sharedSimulator().reset();
      await testDb().businessAccount.deleteMany({ where: { wabaId: customerWabaId } });
      const { code } = await sharedSimulator().createOAuthCode({ wabaId: customerWabaId });
      return caller.signup.connect({ code });
    },
    ownedBy: async (_result, world, actor) => {
      const account = await testDb().businessAccount.findUniqueOrThrow({ where: { wabaId: customerWabaId } });
      expect(account.tenantId).toBe(ownTenant(world, actor).id);
      const settings = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: ownTenant(world, actor).id }, include: { phoneNumber: true } });
      expect(settings.phoneNumber?.metaPhoneNumberId).toBe("110000000000001");
    },
  },
]);
