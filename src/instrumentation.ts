/** Runs once when the Next.js server starts: a missing or invalid environment variable stops start-up here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateEnvOrExit } = await import("@/server/startup");
  validateEnvOrExit();
  const { startBackgroundTicker } = await import("@/server/wiring/ticker");
  startBackgroundTicker();
}
