import { adminProcedure, createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { checkNumberHealth } from "@/server/health/health";
import { tenantHealthLine } from "@/server/health/tenant-health-line";
import { numberHealthView } from "@/server/numbers/number-health-view";
import { attemptRegistration, auditRegistrationAttempt, onboardingSnapshot, restartOnboarding } from "@/server/registration/attempts";
import { scheduleRegistrationRetry } from "@/server/registration/retry";

const phoneNumberInput = z.object({
  phoneNumberId: z.string().min(1, 'phoneNumberId: expected the number\'s Recado id, e.g. "cmh2x…" (from the numbers list)'),
});

export const healthRouter = createTRPCRouter({
  /** Account Health tab. `live`: while onboarding is in progress, read Meta again if the last reading is stale. */
  number: adminProcedure
    .input(phoneNumberInput.extend({ live: z.boolean().default(false) }))
    .query(({ ctx, input }) => numberHealthView({ db: ctx.db, phoneNumberId: input.phoneNumberId, live: input.live })),

  /** "Check now": reads the number from Meta at once. */
  check: adminProcedure.input(phoneNumberInput).mutation(async ({ ctx, input }) => {
    const result = await checkNumberHealth({ db: ctx.db, phoneNumberId: input.phoneNumberId, source: "manual" });
    return result.ok ? { ok: true as const, changed: result.changed.length } : { ok: false as const, error: result.error.message };
  }),

  /** "Complete registration": one attempt now; the outcome in plain words, and the retry continues if Meta is not ready. */
  completeRegistration: adminProcedure.input(phoneNumberInput).mutation(async ({ ctx, input }) => {
    const actor = { userId: ctx.user.id, label: ctx.user.email };
    const before = await onboardingSnapshot({ db: ctx.db, phoneNumberId: input.phoneNumberId });
    const result = await attemptRegistration({ db: ctx.db, phoneNumberId: input.phoneNumberId, trigger: "manual" });
    const retryScheduled = await scheduleRegistrationRetry({ db: ctx.db, phoneNumberId: input.phoneNumberId, when: result.retryable });
    await auditRegistrationAttempt({
      db: ctx.db,
      phoneNumberId: input.phoneNumberId,
      actor,
      before,
      outcome: { ...result, retryScheduled },
    });
    return { ...result, retryScheduled };
  }),

  /** "Reset onboarding" (after a confirmation dialog): clears the stuck state and starts over. */
  resetOnboarding: adminProcedure.input(phoneNumberInput).mutation(async ({ ctx, input }) => {
    const result = await restartOnboarding({
      db: ctx.db,
      phoneNumberId: input.phoneNumberId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    });
    const retryScheduled = await scheduleRegistrationRetry({
      db: ctx.db,
      phoneNumberId: input.phoneNumberId,
      when: result.decision === "register",
    });
    return { ...result, retryScheduled };
  }),

  /** The owner's health line for their own number (the tenant comes from the session). */
  mine: tenantProcedure.query(({ ctx }) => tenantHealthLine({ db: ctx.db, tenantId: ctx.tenantId })),
});
