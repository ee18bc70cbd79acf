import { inject } from "vitest";
import { createDb, type Db } from "@/server/db";

let shared: Db | undefined;

/** A Prisma client on this run's test database (real Postgres, migrated by the global setup). */
export function testDb(): Db {
  shared ??= createDb(inject("databaseUrl"), 5);
  return shared;
}
