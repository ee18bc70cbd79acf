import { describe, expect, it } from "vitest";
import { describeRoleMatrix, type Actor, type World } from "@/test/role-matrix";
import { testDb } from "@/test/db";
import { createMasterNumber, callerAs, createTenantWithOwner } from "@/test/fixtures";
import { hashPassword } from "@/server/auth/password";
import { makeSendable } from "@/test/broadcast-world";

type Caller = ReturnType<typeof callerAs>;
import { customerWabaId, sharedSimulator } from "@/test/health-fixtures";
import { inject } from "vitest";
import type { Db } from "@/server/db";
import { createContactRow, masterAccount, resetSharedSimulatorAfterAll, uniqueGraphId } from "@/test/messaging-world";
import { syncTemplates } from "@/server/templates/templates";
import { simulatorControl } from "@/meta-simulator/control-client";
import { wallTimeOf } from "@/lib/zoned-time";

/** Messaging procedures need a bakery that can send: a simulator number assigned, WhatsApp on, templates synced. */
async function sendingTenant(db: Db, tenantId: string) {
  const settings = await db.whatsAppSettings.findUniqueOrThrow({
    where: { tenantId },
    include: { phoneNumber: { include: { businessAccount: true } } },
  });
  if (settings.enabled && settings.phoneNumber?.businessAccount.wabaId === "102290129340398") return;
  const account = await masterAccount(db);
  const sim = await simulatorControl(inject("simulatorUrl")).createPhoneNumber({
    id: uniqueGraphId(),
    displayPhoneNumber: `+34 698 ${Date.now() % 1000} ${Math.floor(Math.random() * 900 + 100)}`,
    registered: true,
    wabaId: "102290129340398",
  } as never);
  const number = await db.phoneNumber.create({
    data: { metaPhoneNumberId: sim.id, businessAccountId: account.id, displayPhoneNumber: sim.id },
  });
  await db.whatsAppSettings.update({ where: { tenantId }, data: { enabled: true, phoneNumberId: number.id } });
  await syncTemplates({ db, businessAccountId: account.id });
}
resetSharedSimulatorAfterAll(inject("simulatorUrl"));
const tenantOf = (world: World, actor: Actor) => (actor === "ownerA" ? world.tenantA : world.tenantB);
const ownsTenantRows = (rows: { tenantId: string }[], world: World, actor: Actor) => {
  for (const row of rows) expect(row.tenantId).toBe(tenantOf(world, actor).id);
};

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
    procedure: "admin.quarantinedWebhookItems",
    allowed: ["admin"],
    call: (caller) => caller.admin.quarantinedWebhookItems(),
  },
  {
    procedure: "admin.rerunWebhookItem",
    allowed: ["admin"],
    call: async (caller) => {
      const event = await testDb().webhookEvent.create({
        data: { bodySha256: `matrix-${Math.random()}`, object: "whatsapp_business_account", payload: {}, itemCount: 1 },
      });
      const item = await testDb().webhookItem.create({
        data: {
          eventId: event.id,
          key: `matrix:${Math.random()}`,
          field: "matrix_probe",
          kind: "change",
          payload: {},
          status: "QUARANTINED",
          attempts: 8,
          quarantineReason: "matrix",
        },
      });
      return caller.admin.rerunWebhookItem({ itemId: item.id });
    },
  },
  {
    procedure: "admin.deliveryRates",
    allowed: ["admin"],
    call: (caller, world) => caller.admin.deliveryRates({ tenantId: world.tenantA.id }),
  },
  {
    procedure: "bakery.deliveryRates",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.bakery.deliveryRates(),
  },
  {
    procedure: "admin.backlog",
    allowed: ["admin"],
    call: (caller) => caller.admin.backlog(),
  },
  {
    procedure: "admin.metricThresholds",
    allowed: ["admin"],
    call: (caller) => caller.admin.metricThresholds(),
  },
  {
    procedure: "admin.updateMetricThreshold",
    allowed: ["admin"],
    // the default values: other test files share this database and its thresholds
    call: (caller) => caller.admin.updateMetricThreshold({ metric: "delivery_rate", threshold: 0.9, minSample: 20 }),
  },
  {
    procedure: "admin.signOutEverywhere",
    allowed: ["admin"],
    call: async (caller) => caller.admin.signOutEverywhere({ userId: (await createTenantWithOwner(testDb())).owner.id }),
  },
  {
    procedure: "account.changePassword",
    allowed: ["admin", "ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const user = world.users[actor];
      if (user) await testDb().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("matrix-old-password") } });
      const result = await caller.account.changePassword({ currentPassword: "matrix-old-password", newPassword: "matrix-new-password" });
      // the matrix keeps using this actor's session: give it back its version
      if (user) await testDb().user.update({ where: { id: user.id }, data: { sessionVersion: 0 } });
      return result;
    },
  },
  {
    procedure: "account.setLocale",
    allowed: ["admin", "ownerA", "ownerB"],
    call: (caller) => caller.account.setLocale({ locale: "ca" }),
    // the caller's own row is the one changed, never another user's
    ownedBy: async (_result, world, actor) => {
      const user = world.users[actor];
      if (!user) return;
      expect((await testDb().user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("ca");
    },
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
  {
    procedure: "settings.updateTimeZone",
    allowed: ["ownerA", "ownerB"],
    // each owner sets a zone on their own bakery only (the tenant is never an input)
    call: (caller, _world, actor) => caller.settings.updateTimeZone({ timeZone: actor === "ownerA" ? "Atlantic/Canary" : "Europe/Lisbon" }),
    ownedBy: async (_result, world, actor) => {
      const a = await testDb().tenant.findUniqueOrThrow({ where: { id: world.tenantA.id } });
      const b = await testDb().tenant.findUniqueOrThrow({ where: { id: world.tenantB.id } });
      if (actor === "ownerA") expect(a.timeZone).toBe("Atlantic/Canary");
      if (actor === "ownerB") expect([b.timeZone, a.timeZone]).toEqual(["Europe/Lisbon", "Atlantic/Canary"]);
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
    const draft = {
      name: "Matrix offer",
      templateName: "po_notification",
      parameters: [
        { kind: "field" as const, field: "name" as const },
        { kind: "fixed" as const, value: "A" },
        { kind: "fixed" as const, value: "B" },
      ],
      audience: { kind: "all" as const },
    };
    const broadcastIn = async (world: World, actor: Actor, status: "DRAFT" | "SENDING" | "PAUSED") => {
      const tenantId = actor === "ownerB" ? world.tenantB.id : world.tenantA.id;
      const ready = await makeSendable(testDb(), tenantId);
      return testDb().broadcast.create({
        data: {
          tenantId,
          name: "Matrix",
          templateName: "po_notification",
          templateLanguage: "es",
          parameterSources: draft.parameters,
          audience: draft.audience,
          phoneNumberId: ready.phoneNumberId,
          status,
        },
      });
    };
    const inTwoHours = () => wallTimeOf(new Date(Date.now() + 2 * 3_600_000), "Europe/Madrid");
    /** a finished broadcast with one recipient who failed for a temporary reason (worth retrying) */
    const finishedWithFailure = async (world: World, actor: Actor) => {
      const b = await broadcastIn(world, actor, "DRAFT");
      await testDb().broadcast.update({ where: { id: b.id }, data: { status: "COMPLETED", total: 1 } });
      const contact = await createContactRow(testDb(), b.tenantId);
      await testDb().broadcastRecipient.create({
        data: {
          broadcastId: b.id,
          seq: 1,
          contactId: contact.id,
          phoneE164: contact.phoneE164,
          status: "FAILED",
          errorCode: 131000,
          appErrorCode: "META_UNAVAILABLE",
          attemptedAt: new Date(),
        },
      });
      return b;
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
          await testDb().contact.create({
            data: { tenantId: b.tenantId, phoneE164: `+3465${String(Date.now()).slice(-7)}`, optedIn: true },
          });
          return caller.broadcasts.start({ broadcastId: b.id });
        },
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.pause",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.pause({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
      },
      {
        procedure: "broadcasts.resume",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.resume({ broadcastId: (await broadcastIn(world, actor, "PAUSED")).id }),
      },
      {
        procedure: "broadcasts.cancel",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.cancel({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
      },
      {
        procedure: "broadcasts.scheduling",
        allowed: owners,
        call: (caller: Caller) => caller.broadcasts.scheduling(),
        ownedBy: (result: unknown, world: World, actor: Actor) =>
          expect((result as { name: string }).name).toBe(ownTenant(world, actor).name),
      },
      {
        procedure: "broadcasts.reschedule",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          const b = await broadcastIn(world, actor, "DRAFT");
          return caller.broadcasts.reschedule({ broadcastId: b.id, schedule: inTwoHours() });
        },
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.draft",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.draft({ broadcastId: (await broadcastIn(world, actor, "DRAFT")).id }),
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.update",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          const b = await broadcastIn(world, actor, "DRAFT");
          return caller.broadcasts.update({ broadcastId: b.id, draft: { ...draft, name: "Matrix edit", schedule: inTwoHours() } });
        },
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.retryPlan",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.retryPlan({ broadcastId: (await finishedWithFailure(world, actor)).id }),
        ownedBy: async (result: unknown, world: World, actor: Actor) =>
          ownedByActor({ id: (result as { broadcastId: string }).broadcastId }, world, actor),
      },
      {
        procedure: "broadcasts.retryFailed",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.retryFailed({ broadcastId: (await finishedWithFailure(world, actor)).id, name: "Matrix retry" }),
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.progress",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.progress({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
        ownedBy: ownedByActor,
      },
      {
        procedure: "broadcasts.rates",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.broadcasts.rates({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
        ownedBy: async (result: unknown, world: World, actor: Actor) =>
          expect(
            (await testDb().broadcast.findUniqueOrThrow({ where: { id: (result as { broadcastId: string }).broadcastId } })).tenantId,
          ).toBe(ownTenant(world, actor).id),
      },
      {
        procedure: "broadcasts.estimateCost",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) => {
          if (actor !== "signedOut" && actor !== "admin") await makeSendable(testDb(), ownTenant(world, actor).id);
          return caller.broadcasts.estimateCost(draft);
        },
      },
      {
        procedure: "costs.broadcastCost",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.costs.broadcastCost({ broadcastId: (await broadcastIn(world, actor, "SENDING")).id }),
        ownedBy: async (result: unknown, world: World, actor: Actor) =>
          ownedByActor({ id: (result as { broadcastId: string }).broadcastId }, world, actor),
      },
    ];
  })(),
  // Costs, spend caps and shares of the shared account (issue 17): owners see their own, admins set them.
  ...(() => {
    const owners = ["ownerA", "ownerB"] as const;
    const ownMessage = async (world: World, actor: Actor) => {
      const tenantId = actor === "ownerB" ? world.tenantB.id : world.tenantA.id;
      const contact = await createContactRow(testDb(), tenantId);
      return testDb().message.create({
        data: {
          tenantId,
          contactId: contact.id,
          direction: "OUTBOUND",
          type: "template",
          source: "test",
          status: "SENT",
          costMicros: 61500,
        },
      });
    };
    return [
      { procedure: "costs.shareToday", allowed: owners, call: (caller: Caller) => caller.costs.shareToday() },
      {
        procedure: "costs.monthSpend",
        allowed: owners,
        call: (caller: Caller) => caller.costs.monthSpend({ month: "2026-12" }),
      },
      {
        procedure: "costs.messageCost",
        allowed: owners,
        call: async (caller: Caller, world: World, actor: Actor) =>
          caller.costs.messageCost({ messageId: (await ownMessage(world, actor)).id }),
        ownedBy: async (result: unknown, world: World, actor: Actor) => {
          const id = (result as { id: string }).id;
          expect((await testDb().message.findUniqueOrThrow({ where: { id } })).tenantId).toBe(ownTenant(world, actor).id);
        },
      },
      { procedure: "costs.adminOverview", allowed: ["admin"] as const, call: (caller: Caller) => caller.costs.adminOverview() },
      {
        procedure: "costs.bakeryMonthSpend",
        allowed: ["admin"] as const,
        call: (caller: Caller, world: World) => caller.costs.bakeryMonthSpend({ tenantId: world.tenantA.id }),
      },
      { procedure: "costs.rateCard", allowed: ["admin"] as const, call: (caller: Caller) => caller.costs.rateCard() },
      {
        procedure: "costs.setRate",
        allowed: ["admin"] as const,
        call: (caller: Caller) =>
          caller.costs.setRate({ category: "MARKETING", country: "AD", currency: "USD", rate: 0.05, validFrom: new Date("2020-01-01") }),
      },
      { procedure: "costs.bakerySettings", allowed: ["admin"] as const, call: (caller: Caller) => caller.costs.bakerySettings() },
      {
        procedure: "costs.bakeryShare",
        allowed: ["admin"] as const,
        call: (caller: Caller, world: World) => caller.costs.bakeryShare({ tenantId: world.tenantA.id }),
      },
      {
        procedure: "costs.setBakerySettings",
        allowed: ["admin"] as const,
        call: (caller: Caller, world: World) => caller.costs.setBakerySettings({ tenantId: world.tenantB.id, monthlySpendCap: null }),
      },
    ];
  })(),
  // Number health and registration (issue 5): admin-only actions on any number; owners see their own line only.
  {
    procedure: "health.number",
    allowed: ["admin"],
    call: async (caller) => caller.health.number({ phoneNumberId: (await createMasterNumber(testDb())).id }),
  },
  {
    procedure: "health.check",
    allowed: ["admin"],
    call: async (caller) => caller.health.check({ phoneNumberId: (await createMasterNumber(testDb())).id }),
  },
  {
    procedure: "health.completeRegistration",
    allowed: ["admin"],
    call: async (caller) => caller.health.completeRegistration({ phoneNumberId: (await createMasterNumber(testDb())).id }),
  },
  {
    procedure: "health.resetOnboarding",
    allowed: ["admin"],
    call: async (caller) => caller.health.resetOnboarding({ phoneNumberId: (await createMasterNumber(testDb())).id }),
  },
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
      const own = await testDb().whatsAppSettings.findUniqueOrThrow({
        where: { tenantId: ownTenant(world, actor).id },
        include: { phoneNumber: true },
      });
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
      if (status.connected)
        expect((await testDb().businessAccount.findUniqueOrThrow({ where: { wabaId: status.wabaId! } })).tenantId).toBe(
          ownTenant(world, actor).id,
        );
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
      const settings = await testDb().whatsAppSettings.findUniqueOrThrow({
        where: { tenantId: ownTenant(world, actor).id },
        include: { phoneNumber: true },
      });
      expect(settings.phoneNumber?.metaPhoneNumberId).toBe("110000000000001");
    },
  },
  // --- messaging (issue 6) ---
  {
    procedure: "contacts.list",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await createContactRow(testDb(), tenantOf(world, actor).id);
      await createContactRow(testDb(), world.tenantA.id);
      return caller.contacts.list({});
    },
    ownedBy: (result, world, actor) => {
      const { contacts } = result as { contacts: { tenantId: string }[] };
      expect(contacts.length).toBeGreaterThan(0);
      ownsTenantRows(contacts, world, actor);
    },
  },
  {
    procedure: "contacts.create",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.contacts.create({ phone: `+3465${String(Date.now()).slice(-7)}`, name: "Matrix" }),
    ownedBy: (result, world, actor) => ownsTenantRows([result as { tenantId: string }], world, actor),
  },
  {
    procedure: "contacts.setConsent",
    allowed: ["ownerA", "ownerB"],
    // every caller targets a contact of bakery A: owner B must get NOT_FOUND
    call: async (caller, world, actor) => {
      const contact = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantB : world.tenantA).id, { optedIn: false });
      return caller.contacts.setConsent({ contactId: contact.id, optedIn: true });
    },
  },
  {
    procedure: "contacts.consentHistory",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const contact = await createContactRow(testDb(), tenantOf(world, actor === "ownerB" ? "ownerB" : "ownerA").id);
      return caller.contacts.consentHistory({ contactId: contact.id });
    },
  },
  {
    procedure: "contacts.importRows",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.contacts.importRows({ rows: [{ row: 2, phone: `+3466${String(Date.now()).slice(-7)}` }] }),
    ownedBy: (result) => expect(result).toMatchObject({ processed: 1, imported: 1 }),
  },
  {
    procedure: "contacts.importCsv",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.contacts.importCsv({ csv: `phone,name\n+3467${String(Date.now()).slice(-7)},Matrix` }),
    ownedBy: (result) => expect(result).toMatchObject({ processed: 1, imported: 1 }),
  },
  {
    procedure: "contacts.clearNotOnWhatsApp",
    allowed: ["admin"],
    call: async (caller, world) => {
      const contact = await createContactRow(testDb(), world.tenantA.id, { notOnWhatsAppAt: new Date() });
      return caller.contacts.clearNotOnWhatsApp({ contactId: contact.id });
    },
  },
  {
    procedure: "contacts.tags",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const own = await createContactRow(testDb(), tenantOf(world, actor === "ownerB" ? "ownerB" : "ownerA").id);
      await testDb().contact.update({ where: { id: own.id }, data: { tags: [`own-${actor}`] } });
      const other = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantA : world.tenantB).id);
      await testDb().contact.update({ where: { id: other.id }, data: { tags: [`other-of-${actor}`] } });
      return caller.contacts.tags();
    },
    ownedBy: (result, _world, actor) => {
      const tags = (result as { tag: string }[]).map((t) => t.tag);
      expect(tags).toContain(`own-${actor}`);
      expect(tags).not.toContain(`other-of-${actor}`);
    },
  },
  {
    procedure: "contacts.updateTags",
    allowed: ["ownerA", "ownerB"],
    // each call names a contact of the caller's bakery and one of the other: only the first is tagged
    call: async (caller, world, actor) => {
      const own = await createContactRow(testDb(), tenantOf(world, actor === "ownerB" ? "ownerB" : "ownerA").id);
      const other = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantA : world.tenantB).id);
      const result = await caller.contacts.updateTags({ contactIds: [own.id, other.id], add: ["matrix"] });
      return { result, otherId: other.id };
    },
    ownedBy: async (value) => {
      const { result, otherId } = value as { result: { updated: number }; otherId: string };
      expect(result.updated).toBe(1);
      expect((await testDb().contact.findUniqueOrThrow({ where: { id: otherId } })).tags).toEqual([]);
    },
  },
  {
    procedure: "contacts.exportCsv",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      await createContactRow(testDb(), (actor === "ownerB" ? world.tenantA : world.tenantB).id, { name: `Other of ${actor}` });
      return caller.contacts.exportCsv({ locale: "es" });
    },
    ownedBy: (result, _world, actor) => expect((result as { content: string }).content).not.toContain(`Other of ${actor}`),
  },
  {
    procedure: "alerts.history",
    allowed: ["admin"],
    call: (caller) => caller.alerts.history({ status: "acknowledged" }),
  },
  {
    procedure: "settings.supportContact",
    allowed: ["admin", "ownerA", "ownerB"],
    call: (caller) => caller.settings.supportContact(),
  },
  {
    procedure: "settings.updateSupportContact",
    allowed: ["admin"],
    call: (caller) => caller.settings.updateSupportContact({ email: "soporte@recado.test", url: "https://recado.test/ayuda" }),
  },
  { procedure: "audit.tenants", allowed: ["admin"], call: (caller) => caller.audit.tenants() },
  { procedure: "audit.sends", allowed: ["admin"], call: (caller, world) => caller.audit.sends({ tenantId: world.tenantA.id }) },
  {
    procedure: "audit.exportCsv",
    allowed: ["admin"],
    call: (caller) => caller.audit.exportCsv({}),
    ownedBy: (result) => expect((result as { content: string }).content).toMatch(/^when,who,action,bakery/),
  },
  // --- GDPR (issue 16): each caller targets a contact of its own bakery; gdpr.test.ts covers the wrong bakery
  {
    procedure: "gdpr.exportContact",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const contact = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantB : world.tenantA).id);
      return caller.gdpr.exportContact({ contactId: contact.id, format: "json" });
    },
    ownedBy: (result) => expect((result as { mimeType: string }).mimeType).toBe("application/json"),
  },
  {
    procedure: "gdpr.eraseContact",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const contact = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantB : world.tenantA).id);
      return caller.gdpr.eraseContact({ contactId: contact.id });
    },
  },
  {
    procedure: "gdpr.exportOwner",
    allowed: ["admin"],
    call: (caller, world) => caller.gdpr.exportOwner({ userId: world.users.ownerA!.id }),
  },
  {
    procedure: "gdpr.eraseOwner",
    allowed: ["admin"],
    // a fresh owner each time: the world's owners must stay
    call: async (caller) => {
      const { owner } = await createTenantWithOwner(testDb(), "Matrix Erased Owner");
      return caller.gdpr.eraseOwner({ userId: owner.id });
    },
  },
  {
    procedure: "templates.list",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), tenantOf(world, actor).id);
      return caller.templates.list();
    },
    ownedBy: (result) => expect((result as { name: string }[]).some((t) => t.name === "po_notification")).toBe(true),
  },
  {
    procedure: "templates.adminList",
    allowed: ["admin"],
    call: (caller) => caller.templates.adminList(),
  },
  {
    procedure: "templates.sync",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), tenantOf(world, actor).id);
      return caller.templates.sync();
    },
  },
  {
    procedure: "templates.create",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), tenantOf(world, actor).id);
      return caller.templates.create({
        name: `matrix_${actor.toLowerCase()}_${Date.now()}`,
        language: "es",
        category: "UTILITY",
        bodyText: "Hola {{1}}",
        examples: ["Ana"],
      });
    },
  },
  {
    procedure: "messages.list",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const db = testDb();
      for (const tenant of [world.tenantA, world.tenantB]) {
        const contact = await createContactRow(db, tenant.id);
        await db.message.create({
          data: {
            tenantId: tenant.id,
            contactId: contact.id,
            direction: "OUTBOUND",
            type: "text",
            body: `for ${actor}`,
            source: "test",
            status: "SENT",
            statusRank: 2,
          },
        });
      }
      return caller.messages.list({});
    },
    ownedBy: async (result, world, actor) => {
      const { messages } = result as { messages: { contact: { id: string } }[] };
      const contacts = await testDb().contact.findMany({ where: { id: { in: messages.map((m) => m.contact.id) } } });
      expect(contacts.length).toBeGreaterThan(0);
      ownsTenantRows(contacts, world, actor);
    },
  },
  {
    procedure: "messages.conversation",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const contact = await createContactRow(testDb(), (actor === "ownerB" ? world.tenantB : world.tenantA).id);
      return caller.messages.conversation({ contactId: contact.id });
    },
    ownedBy: (result, world, actor) => ownsTenantRows([(result as { contact: { tenantId: string } }).contact], world, actor),
  },
  {
    procedure: "messages.sendTemplate",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const own = actor === "ownerB" ? world.tenantB : world.tenantA;
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), own.id);
      const contact = await createContactRow(testDb(), own.id);
      return caller.messages.sendTemplate({
        contactId: contact.id,
        templateName: "po_notification",
        parameters: ["Matrix", "PO-1", "1 €"],
      });
    },
    ownedBy: async (result, world, actor) =>
      ownsTenantRows(
        [await testDb().message.findUniqueOrThrow({ where: { id: (result as { messageId: string }).messageId } })],
        world,
        actor,
      ),
  },
  {
    procedure: "messages.templateChoices",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), tenantOf(world, actor).id);
      return caller.messages.templateChoices();
    },
  },
  {
    procedure: "messages.sendText",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      const own = actor === "ownerB" ? world.tenantB : world.tenantA;
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), own.id);
      const contact = await createContactRow(testDb(), own.id, { lastInboundAt: new Date() });
      const settings = await testDb().whatsAppSettings.findUniqueOrThrow({ where: { tenantId: own.id }, include: { phoneNumber: true } });
      if (settings.phoneNumber)
        await simulatorControl(inject("simulatorUrl")).inbound(settings.phoneNumber.metaPhoneNumberId, {
          from: contact.phoneE164.slice(1),
          text: "hola",
        });
      return caller.messages.sendText({ contactId: contact.id, body: "¡Hola!" });
    },
  },
  {
    procedure: "messages.sendTestNotification",
    allowed: ["ownerA", "ownerB"],
    call: async (caller, world, actor) => {
      if (actor === "ownerA" || actor === "ownerB") await sendingTenant(testDb(), tenantOf(world, actor).id);
      return caller.messages.sendTestNotification({ phone: `+3469${String(Date.now()).slice(-7)}` });
    },
    // sent from the caller's own number to the caller's own phone, kept on their profile; no contact is created
    ownedBy: async (result, world, actor) => {
      const { wamid, to } = result as { wamid: string; to: string };
      expect((await testDb().user.findUniqueOrThrow({ where: { id: world.users[actor]!.id } })).notificationPhone).toBe(to);
      expect(await testDb().contact.count({ where: { phoneE164: to } })).toBe(0);
      const settings = await testDb().whatsAppSettings.findUniqueOrThrow({
        where: { tenantId: tenantOf(world, actor).id },
        include: { phoneNumber: true },
      });
      const sent = await simulatorControl(inject("simulatorUrl")).messages({ phoneNumberId: settings.phoneNumber!.metaPhoneNumberId });
      expect(sent.find((m) => m.id === wamid)).toMatchObject({ to, template: { name: "po_notification" } });
    },
  },
  { procedure: "apiKeys.list", allowed: ["ownerA", "ownerB"], call: (caller) => caller.apiKeys.list() },
  {
    procedure: "apiKeys.create",
    allowed: ["ownerA", "ownerB"],
    call: (caller) => caller.apiKeys.create({ name: "Matrix" }),
    ownedBy: async (result, world, actor) => {
      const key = result as { id: string; key: string };
      expect(key.key).toMatch(/^rk_/);
      ownsTenantRows([await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })], world, actor);
    },
  },
  {
    procedure: "apiKeys.revoke",
    allowed: ["ownerA", "ownerB"],
    // a key of bakery A for everyone except owner B (who revokes their own): B revoking A's would be NOT_FOUND
    call: async (caller, world, actor) => {
      const key = await testDb().apiKey.create({
        data: {
          tenantId: (actor === "ownerB" ? world.tenantB : world.tenantA).id,
          name: "m",
          prefix: `m${Math.random().toString(36).slice(2, 9)}`,
          keyHash: Math.random().toString(36),
        },
      });
      return caller.apiKeys.revoke({ apiKeyId: key.id });
    },
  },
]);

// Scheduling and retry act on a broadcast id: another bakery's id is not found and changes nothing.
describe("broadcast schedule and retry of another bakery", () => {
  it("refuses owner B on bakery A's broadcast (NOT_FOUND) and leaves it as it was", async () => {
    const a = await createTenantWithOwner(testDb());
    const b = await createTenantWithOwner(testDb());
    const { phoneNumberId } = await makeSendable(testDb(), a.tenant.id);
    const broadcast = await testDb().broadcast.create({
      data: {
        tenantId: a.tenant.id,
        name: "A's",
        templateName: "po_notification",
        templateLanguage: "es",
        parameterSources: [],
        audience: { kind: "all" },
        phoneNumberId,
        status: "COMPLETED",
        scheduledAt: null,
      },
    });
    const asB = callerAs(testDb(), b.owner);
    const schedule = wallTimeOf(new Date(Date.now() + 7_200_000), "Europe/Madrid");
    // one call at a time: each refusal is awaited before the next call is made
    const attempts = [
      () => asB.broadcasts.reschedule({ broadcastId: broadcast.id, schedule }),
      () => asB.broadcasts.retryPlan({ broadcastId: broadcast.id }),
      () => asB.broadcasts.retryFailed({ broadcastId: broadcast.id, name: "B's retry" }),
      () => asB.broadcasts.draft({ broadcastId: broadcast.id }),
      () =>
        asB.broadcasts.update({
          broadcastId: broadcast.id,
          draft: { name: "B's", templateName: "po_notification", parameters: [], audience: { kind: "all" }, schedule },
        }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await testDb().broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({
      scheduledAt: null,
      status: "COMPLETED",
    });
    expect(await testDb().broadcast.count({ where: { retryOfId: broadcast.id } })).toBe(0);
  });
});
