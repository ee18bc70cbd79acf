import { Inngest } from "inngest";

/**
 * The Inngest client. INNGEST_DEV=1 talks to a local dev server (`npx inngest-cli@latest dev`); production
 * reads INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY from the environment (the SDK reads all three itself).
 */
export const inngest = new Inngest({ id: "recado" });
