import "server-only";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { getServerAuthSession } from "@/server/auth/options";
import { getDb } from "@/server/db";

/** tRPC caller for React Server Components, with the request's session. */
export const getServerApi = cache(async () => createCaller({ db: getDb(), session: await getServerAuthSession() }));
