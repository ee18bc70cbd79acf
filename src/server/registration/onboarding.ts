/**
 * The onboarding state machine lives in src/server/health/onboarding.ts (health sets the state from a reading, so
 * it sits below registration). This re-export keeps the job files that still import it from here compiling.
 */
export { markStuckNumbers, resetOnboarding } from "@/server/health/onboarding";
