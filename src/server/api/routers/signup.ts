import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { scheduleRegistrationRetry } from "@/server/registration/retry";
import { completeEmbeddedSignup, ownAccountStatus } from "@/server/signup/embedded-signup";
import { simulatedPopupAvailable, simulatedSignupCode } from "@/server/signup/simulated-popup";

const graphId = (field: string, example: string) =>
  z.string().regex(/^\d{1,32}$/, `${field}: expected Meta's numeric id, e.g. "${example}"`);

export const signupRouter = createTRPCRouter({
  /** The bakery's own-account status, and whether the local simulated popup is available. */
  status: tenantProcedure.query(async ({ ctx }) => ({
    ...(await ownAccountStatus({ db: ctx.db, tenantId: ctx.tenantId })),
    simulator: await simulatedPopupAvailable(ctx.simulatedSignupPopup),
  })),

  /** Local only: what Meta's popup would hand the page (a 30-second code for the simulator's customer account). */
  simulatePopup: tenantProcedure.mutation(({ ctx }) => simulatedSignupCode(ctx.simulatedSignupPopup)),

  /** Finishes Embedded Signup for the session's bakery with the popup's code. */
  connect: tenantProcedure
    .input(
      z.object({
        code: z.string().min(8, 'code: expected the code from Meta\'s sign-up popup, e.g. "AQBx…"').max(2048),
        wabaId: graphId("wabaId", "109876543210987").optional(),
        phoneNumberId: graphId("phoneNumberId", "110000000000001").optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await completeEmbeddedSignup({
        db: ctx.db,
        tenantId: ctx.tenantId,
        actor: { userId: ctx.user.id, label: ctx.user.email },
        input,
      });
      await scheduleRegistrationRetry({ db: ctx.db, phoneNumberId: result.phoneNumberId, when: result.registration.retryable });
      return result;
    }),
});
