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
    createContext: async () => createTRPCContext({ db: getDb(), session: await getServerAuthSession(), simulatedSignupPopup: simulatedSignupPopupFor(getEnv()) }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.message);
    },
  });

export { handler as GET, handler as POST };
