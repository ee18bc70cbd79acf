/** Creating and dropping throw-away databases on a Postgres server (test runs, e2e runs). */
import pg from "pg";

export const defaultServerUrl = "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${process.pid}`;
}

async function withServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(serverUrl: string, database: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`Unsafe database name: ${database}`);
  await withServer(serverUrl, (client) => client.query(`CREATE DATABASE "${database}"`));
  return databaseUrlFor(serverUrl, database);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`Unsafe database name: ${database}`);
  await withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}
