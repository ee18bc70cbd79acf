/**
 * A freshly migrated database of a test file's own, for tests that drain every pending row of a table (webhook
 * items, the job outbox) and must not take rows other test files left in the run's shared database.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "../../scripts/lib/database";
import { applyMigrations } from "../../scripts/lib/migrate";

export function useOwnDatabase(prefix: string, poolMax = 4): () => Db {
  const serverUrl = inject("databaseServerUrl");
  const name = uniqueDatabaseName(prefix);
  let db: Db | undefined;
  beforeAll(async () => {
    const url = await createDatabase(serverUrl, name);
    await applyMigrations(url);
    db = createDb(url, poolMax);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await dropDatabase(serverUrl, name);
  });
  return () => {
    if (!db) throw new Error("the database is created in beforeAll");
    return db;
  };
}
