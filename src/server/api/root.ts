import { accountRouter } from "@/server/api/routers/account";
import { adminRouter } from "@/server/api/routers/admin";
import { bakeryRouter } from "@/server/api/routers/bakery";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  bakery: bakeryRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (RSC pages and tests): `createCaller({ db, session })`. */
export const createCaller = createCallerFactory(appRouter);
