import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "./database";
import { applyMigrations, readMigrations } from "./migrate";

describe("migration runner", () => {
  const server = () => inject("databaseServerUrl");
  const name = uniqueDatabaseName("recado_migrate");
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(server(), name);
  });
  afterAll(() => dropDatabase(server(), name));

  it("applies every migration once and keeps Prisma's bookkeeping", async () => {
    const first = await applyMigrations(url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await applyMigrations(url);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await client.end();
    // Prisma's checksum is the sha256 of migration.sql; `prisma migrate deploy` compares against it.
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("rolls back a failing migration, records it, and refuses to continue until it is resolved", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recado-migrations-"));
    mkdirSync(join(dir, "001_ok"));
    writeFileSync(join(dir, "001_ok", "migration.sql"), `CREATE TABLE "probe" ("id" TEXT PRIMARY KEY);`);
    mkdirSync(join(dir, "002_broken"));
    writeFileSync(join(dir, "002_broken", "migration.sql"), `CREATE TABLE "probe2" ("id" TEXT); SELECT * FROM "missing_table";`);
    const scratch = await createDatabase(server(), uniqueDatabaseName("recado_migrate_fail"));
    try {
      await expect(applyMigrations(scratch, { dir })).rejects.toThrow(/002_broken failed/);
      const client = new pg.Client({ connectionString: scratch });
      await client.connect();
      const tables = await client.query(`SELECT to_regclass('public.probe') AS ok, to_regclass('public.probe2') AS broken`);
      await client.end();
      expect(tables.rows[0]).toEqual({ ok: "probe", broken: null });
      await expect(applyMigrations(scratch, { dir })).rejects.toThrow(/002_broken failed earlier/);
    } finally {
      await dropDatabase(server(), new URL(scratch).pathname.slice(1));
    }
  });
});
