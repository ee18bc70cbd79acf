/**
 * Vitest global setup: every run gets a database of its own on a real Postgres server (TEST_DATABASE_SERVER_URL,
 * default the local server), migrated with the same runner as production, and dropped afterwards
 * (KEEP_TEST_DATABASE=1 keeps it for a look).
 */
import type { TestProject } from "vitest/node";
import { createMetaSimulator } from "../meta-simulator/server";
import { createDatabase, defaultServerUrl, dropDatabase, uniqueDatabaseName } from "../../scripts/lib/database";
import { applyMigrations } from "../../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseServerUrl: string;
    simulatorUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? defaultServerUrl;
  const name = uniqueDatabaseName("recado_test");
  const databaseUrl = await createDatabase(serverUrl, name);
  await applyMigrations(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("databaseServerUrl", serverUrl);

  // One Meta simulator for the run: what the app's Graph client talks to in integration tests. Tests that
  // need a world of their own start their own simulator on port 0.
  const simulator = createMetaSimulator({ appSecret: "test-app-secret", accessTokens: ["sim-master-token"], seed: 7 });
  const sim = await simulator.listen(0, "127.0.0.1");
  project.provide("simulatorUrl", sim.url);

  return async () => {
    await simulator.close();
    if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(serverUrl, name);
  };
}
