import { Inngest } from "inngest";
import { inngestDevModeRequested } from "@/server/env-production";

/**
 * The Inngest client. INNGEST_DEV=1 talks to a local dev server (`npx inngest-cli@latest dev`); production
 * reads INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY from the environment. Dev mode (no signature checks) only when
 * asked for explicitly, never because a variable is missing.
 */
export const inngest = new Inngest({ id: "recado", isDev: inngestDevModeRequested(process.env) });
