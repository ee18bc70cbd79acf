import { getEnv } from "@/server/env";

/** Server start-up check (src/instrumentation.ts): refuse to run on a broken configuration, naming the variable. */
export function validateEnvOrExit() {
  try {
    getEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
