/**
 * Demo data: one platform admin, three bakeries with their owners, and the shared WhatsApp Business Account.
 * Idempotent: the dev runner calls it on every start; existing rows (and passwords) are left as they are.
 * Run on its own with `DATABASE_URL=... npm run db:seed`.
 */
import { pathToFileURL } from "node:url";
import { hashPassword } from "../src/server/auth/password";
import { createDb, type Db } from "../src/server/db";

export const demoPassword = "recado-demo";

export const demoAdmin = { email: "admin@recado.demo", name: "Lucía Admin" };

export const demoBakeries = [
  { slug: "panaderia-san-juan", name: "Panadería San Juan", owner: { email: "ana@sanjuan.demo", name: "Ana García" } },
  { slug: "forn-de-sant-pere", name: "Forn de Sant Pere", owner: { email: "jordi@santpere.demo", name: "Jordi Puig" } },
  { slug: "obrador-la-espiga", name: "Obrador La Espiga", owner: { email: "maite@laespiga.demo", name: "Maite Etxeberria" } },
] as const;

export async function seedDemoData(db: Db, { masterWabaId }: { masterWabaId: string }) {
  const passwordHash = await hashPassword(demoPassword);

  await db.user.upsert({
    where: { email: demoAdmin.email },
    update: {},
    create: { ...demoAdmin, passwordHash, role: "PLATFORM_ADMIN" },
  });

  for (const bakery of demoBakeries) {
    const tenant = await db.tenant.upsert({
      where: { slug: bakery.slug },
      update: {},
      create: { slug: bakery.slug, name: bakery.name, whatsappSettings: { create: {} } },
    });
    await db.user.upsert({
      where: { email: bakery.owner.email },
      update: {},
      create: { ...bakery.owner, passwordHash, role: "TENANT_OWNER", tenantId: tenant.id },
    });
  }

  await db.businessAccount.upsert({
    where: { wabaId: masterWabaId },
    update: {},
    create: { wabaId: masterWabaId, name: "Bakery Platform (shared)", kind: "MASTER" },
  });
  await seedMessagingDemo(db);
}

/** A few suppliers and customers per bakery (messaging, issue 6): opted in, opted out, never asked. */
export async function seedMessagingDemo(db: Db) {
  const people = [
    { phoneE164: "+34600111222", name: "Harinas del Norte", optedIn: true },
    { phoneE164: "+34600111223", name: "Lácteos Goiko", optedIn: true },
    { phoneE164: "+34600111224", name: "Huevos de Casa", optedIn: false, optedOut: true },
    { phoneE164: "+34600111225", name: "Carmen (cliente)", optedIn: false },
  ];
  const tenants = await db.tenant.findMany({ where: { slug: { in: demoBakeries.map((b) => b.slug) } }, select: { id: true } });
  for (const tenant of tenants) {
    for (const p of people) {
      const existing = await db.contact.findUnique({ where: { tenantId_phoneE164: { tenantId: tenant.id, phoneE164: p.phoneE164 } } });
      if (existing) continue;
      const at = new Date();
      await db.contact.create({
        data: {
          tenantId: tenant.id,
          phoneE164: p.phoneE164,
          name: p.name,
          optedIn: p.optedIn,
          optedInAt: p.optedIn || p.optedOut ? at : null,
          optedOutAt: p.optedOut ? at : null,
          consentSource: p.optedIn || p.optedOut ? "manual" : null,
          consentRecords: {
            create: [
              ...(p.optedIn || p.optedOut ? [{ tenantId: tenant.id, optedIn: true, source: "manual", note: "demo data" }] : []),
              ...(p.optedOut ? [{ tenantId: tenant.id, optedIn: false, source: "webhook_stop", note: "demo data: replied BAJA" }] : []),
            ],
          },
        },
      });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.DATABASE_URL;
  const wabaId = process.env.META_MASTER_WABA_ID;
  if (!url || !wabaId) {
    console.error("Set DATABASE_URL and META_MASTER_WABA_ID to seed the demo data.");
    process.exit(1);
  }
  const db = createDb(url, 1);
  await seedDemoData(db, { masterWabaId: wabaId });
  await db.$disconnect();
  console.log("Demo data seeded.");
}
