import { accountRouter } from "@/server/api/routers/account";
import { apiKeysRouter } from "@/server/api/routers/api-keys";
import { contactsRouter } from "@/server/api/routers/contacts";
import { costsRouter } from "@/server/api/routers/costs";
import { gdprRouter } from "@/server/api/routers/gdpr";
import { messagesRouter } from "@/server/api/routers/messages";
import { templatesRouter } from "@/server/api/routers/templates";
import { adminRouter } from "@/server/api/routers/admin";
import { alertsRouter } from "@/server/api/routers/alerts";
import { auditRouter } from "@/server/api/routers/audit";
import { bakeryRouter } from "@/server/api/routers/bakery";
import { broadcastsRouter } from "@/server/api/routers/broadcasts";
import { healthRouter } from "@/server/api/routers/health";
import { signupRouter } from "@/server/api/routers/signup";
import { numbersRouter } from "@/server/api/routers/numbers";
import { settingsRouter } from "@/server/api/routers/settings";
import { tenantsRouter } from "@/server/api/routers/tenants";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  bakery: bakeryRouter,
  settings: settingsRouter,
  admin: adminRouter,
  alerts: alertsRouter,
  audit: auditRouter,
  numbers: numbersRouter,
  tenants: tenantsRouter,
  broadcasts: broadcastsRouter,
  costs: costsRouter,
  health: healthRouter,
  signup: signupRouter,
  contacts: contactsRouter,
  gdpr: gdprRouter,
  templates: templatesRouter,
  messages: messagesRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (RSC pages and tests): `createCaller({ db, session })`. */
export const createCaller = createCallerFactory(appRouter);
