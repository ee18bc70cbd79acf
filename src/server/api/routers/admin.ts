import { adminProcedure, createTRPCRouter, z } from "@/server/api/trpc";
import { endAllSessions } from "@/server/auth/session-user";
import { getPlatformStats } from "@/server/tenants/overview";

export const adminRouter = createTRPCRouter({
  /** Platform-wide counts for the admin overview. */
  stats: adminProcedure.query(({ ctx }) => getPlatformStats({ db: ctx.db })),
  /** Ends every session of a user (a lost laptop, a leaked cookie): their next request must sign in again. */
  signOutEverywhere: adminProcedure
    .input(z.object({ userId: z.string().min(1, "expected the id of the user to sign out") }))
    .mutation(async ({ ctx, input }) => {
      await endAllSessions(ctx.db, input.userId);
      return { signedOut: true as const };
    }),
});
