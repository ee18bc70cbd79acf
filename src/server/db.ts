import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { getEnv } from "@/server/env";

export type Db = PrismaClient;

export function createDb(databaseUrl: string, poolMax = 10): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolMax });
  return new PrismaClient({ adapter });
}

// One client per server process; kept on globalThis so dev hot reloads do not open a new pool each time.
const globalForDb = globalThis as unknown as { recadoDb?: Db };

export function getDb(): Db {
  if (!globalForDb.recadoDb) {
    const env = getEnv();
    globalForDb.recadoDb = createDb(env.DATABASE_URL, env.DATABASE_POOL_MAX);
  }
  return globalForDb.recadoDb;
}
