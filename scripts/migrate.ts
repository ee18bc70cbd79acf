/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
import { applyMigrations } from "./lib/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/recado npm run db:migrate");
  process.exit(1);
}
const result = await applyMigrations(url, { log: (line) => console.log(line) });
console.log(`${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied.`);
