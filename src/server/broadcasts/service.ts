/**
 * Broadcasts' lifecycle is in src/server/broadcasts/lifecycle.ts; this keeps the job files that still import its
 * event names from here compiling.
 */
export { broadcastEvents } from "@/server/broadcasts/lifecycle";
