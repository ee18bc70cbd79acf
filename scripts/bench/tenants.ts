/**
 * `npm run bench:tenants`: the admin's bakery list with 1,000 bakeries. Creates a throw-away database on the
 * Postgres server of DATABASE_URL (default the local one), seeds 1,000 bakeries (a third of them with a number),
 * then times the same tRPC procedure the admin page calls — first page, a search, a late page — and prints
 * p50 / p95 / max server time per query shape. Target: under 100 ms.
 */
import { performance } from "node:perf_hooks";
import { createCaller } from "../../src/server/api/root";
import { createDb } from "../../src/server/db";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../lib/database";
import { applyMigrations } from "../lib/migrate";

const tenantCount = Number(process.env.BENCH_TENANTS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 50);
const server = process.env.DATABASE_URL ?? defaultServerUrl;
const name = uniqueDatabaseName("recado_bench");
const url = await createDatabase(server, name);

try {
  await applyMigrations(url);
  const db = createDb(url, 5);
  const account = await db.businessAccount.create({ data: { wabaId: "555000000000001", name: "Bench WABA", kind: "MASTER" } });
  const bakeryWords = ["Panadería", "Forn", "Obrador", "Pastelería", "Horno", "Fleca"];
  const places = ["San Juan", "Sant Pere", "La Espiga", "del Mar", "Mayor", "Nueva", "Vella", "del Sol", "Real", "Alta"];
  await db.tenant.createMany({
    data: Array.from({ length: tenantCount }, (_, i) => ({
      id: `bench-tenant-${i}`,
      slug: `bench-${i}`,
      name: `${bakeryWords[i % bakeryWords.length]} ${places[Math.floor(i / 6) % places.length]} ${i}`,
    })),
  });
  await db.phoneNumber.createMany({
    data: Array.from({ length: Math.floor(tenantCount / 3) }, (_, i) => ({
      id: `bench-number-${i}`,
      metaPhoneNumberId: String(900000000000000 + i),
      businessAccountId: account.id,
      displayPhoneNumber: `+34 6${String(i).padStart(8, "0")}`,
      qualityRating: "GREEN" as const,
    })),
  });
  await db.whatsAppSettings.createMany({
    data: Array.from({ length: tenantCount }, (_, i) => ({
      tenantId: `bench-tenant-${i}`,
      enabled: i % 2 === 0,
      phoneNumberId: i % 3 === 0 && i / 3 < Math.floor(tenantCount / 3) ? `bench-number-${i / 3}` : null,
    })),
  });
  const admin = await db.user.create({
    data: { email: "bench-admin@recado.test", name: "Bench", passwordHash: "x", role: "PLATFORM_ADMIN" },
  });
  await db.$executeRawUnsafe("ANALYZE");
  const caller = createCaller({
    db,
    session: {
      user: {
        id: admin.id,
        email: admin.email,
        name: admin.name,
        role: "PLATFORM_ADMIN",
        tenantId: null,
        sessionVersion: admin.sessionVersion,
      },
      expires: "2999-01-01",
    },
  });

  const shapes: [string, () => Promise<unknown>][] = [
    ["first page (25)", () => caller.tenants.list({ page: 1, pageSize: 25 })],
    ["search 'sant pere'", () => caller.tenants.list({ search: "sant pere", page: 1, pageSize: 25 })],
    ["page 40 of 40", () => caller.tenants.list({ page: Math.ceil(tenantCount / 25), pageSize: 25 })],
    ["100 per page", () => caller.tenants.list({ page: 3, pageSize: 100 })],
  ];
  console.log(`admin bakery list (tenants.list via tRPC caller) — ${tenantCount} bakeries, ${runs} runs each, after 5 warm-up runs`);
  for (const [label, run] of shapes) {
    for (let i = 0; i < 5; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`  ${label.padEnd(20)} p50 ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${times.at(-1)!.toFixed(1)} ms`);
  }
  await db.$disconnect();
} finally {
  await dropDatabase(server, name);
}
