/**
 * Vitest global setup: every run gets a database of its own on a real Postgres server (TEST_DATABASE_SERVER_URL,
 * default the local server), migrated with the same runner as production, and dropped afterwards
 * (KEEP_TEST_DATABASE=1 keeps it for a look).
 */
import type { TestProject } from "vitest/node";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../../scripts/lib/database";
import { applyMigrations } from "../../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? defaultServerUrl;
  const name = uniqueDatabaseName("recado_test");
  const databaseUrl = await createDatabase(serverUrl, name);
  await applyMigrations(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("databaseServerUrl", serverUrl);

  return async () => {
    if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(serverUrl, name);
  };
}
