/**
 * Applies prisma/migrations/<name>/migration.sql in order and keeps Prisma's own `_prisma_migrations`
 * bookkeeping (same table, same sha256 checksums), so `prisma migrate deploy` on a machine with the schema
 * engine sees exactly what this runner applied and carries on from there.
 * We need our own runner because `prisma migrate` needs the native schema engine, which cannot be downloaded
 * on offline machines (it downloads a binary).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

// The same DDL Prisma's schema engine uses, so either tool can own the table.
const bookkeepingTableSql = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Prisma's advisory lock key, so this runner and `prisma migrate deploy` never migrate at the same time.
const advisoryLockKey = 72707369;

export type MigrationFile = { name: string; sql: string; checksum: string };

export function readMigrations(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

export async function applyMigrations(
  databaseUrl: string,
  { log = () => {}, dir = migrationsDir }: { log?: (line: string) => void; dir?: string } = {},
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [advisoryLockKey]);
    await client.query(bookkeepingTableSql);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);

    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and was never resolved. Fix the database, then mark ` +
          `it with \`prisma migrate resolve\` or delete its row from _prisma_migrations.`,
      );
    }
    const applied = new Map(
      rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => [row.migration_name, row]),
    );

    const result: MigrateResult = { applied: [], alreadyApplied: 0 };
    for (const migration of readMigrations(dir)) {
      const existing = applied.get(migration.name);
      if (existing) {
        result.alreadyApplied += 1;
        if (existing.checksum !== migration.checksum) {
          log(`warning: ${migration.name} was changed after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 0)`,
        [id, migration.checksum, migration.name],
      );
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, String(error)]);
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      result.applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [advisoryLockKey]).catch(() => {});
    await client.end();
  }
}
