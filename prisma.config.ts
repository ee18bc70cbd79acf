import { defineConfig } from "prisma/config";

// Prisma 7 does not read .env: the datasource URL comes from the environment here. The dev runner and the
// test harness always set DATABASE_URL (embedded PGlite or a real Postgres); `prisma generate` needs none.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/recado" },
});
