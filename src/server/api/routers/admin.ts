import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { getPlatformStats } from "@/server/tenants/overview";

export const adminRouter = createTRPCRouter({
  /** Platform-wide counts for the admin overview. */
  stats: adminProcedure.query(({ ctx }) => getPlatformStats({ db: ctx.db })),
});
