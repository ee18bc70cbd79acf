import { serve } from "inngest/next";
import { inngest } from "@/server/inngest/client";
import { inngestFunctionsFor } from "@/server/inngest/provider";
import { jobDefinitions } from "@/server/wiring";

export const { GET, POST, PUT } = serve({ client: inngest, functions: inngestFunctionsFor(jobDefinitions) });
