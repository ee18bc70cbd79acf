/**
 * The zero-setup database: PGlite (Postgres compiled to WebAssembly) served over TCP, data kept in
 * .data/pglite (git-ignored). PGlite is a single session, so concurrent connections interleave inside one
 * session and their transactions are not isolated: the app uses a pool of one connection against it.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; stop: () => Promise<void> };

export async function startEmbeddedPostgres({ dataDir, port }: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 16 });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
