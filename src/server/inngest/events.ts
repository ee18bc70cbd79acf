/** Names of the events Recado's Inngest functions listen to (sent through the job outbox, src/server/jobs). */
export const events = {
  numberHealthCheck: "recado/number.health.check",
  registrationRetry: "recado/registration.retry",
} as const;
