import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getServerAuthSession } from "@/server/auth/options";
import { getDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { simulatedSignupPopupFor } from "@/server/wiring";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createTRPCContext({ db: getDb(), session: await getServerAuthSession(), simulatedSignupPopup: simulatedSignupPopupFor(getEnv()) }),
    // answers carry one bakery's (or the platform's) data: never kept by a browser or a shared cache
    responseMeta: () => ({ headers: new Headers({ "Cache-Control": "no-store" }) }),
    // unexpected errors are logged once, with their reference id, by the error formatter (src/server/api/trpc.ts)
  });

export { handler as GET, handler as POST };
