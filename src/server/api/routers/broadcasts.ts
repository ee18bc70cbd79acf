import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { audienceSchema } from "@/server/broadcasts/audience";
import { parameterSourceSchema } from "@/server/broadcasts/parameters";
import { broadcastProgress, listBroadcasts } from "@/server/broadcasts/progress";
import {
  cancelBroadcast,
  createBroadcast,
  estimateBroadcastCost,
  pauseBroadcast,
  previewBroadcast,
  resumeBroadcast,
  startBroadcast,
} from "@/server/broadcasts/lifecycle";
import { broadcastRatesWithThresholds } from "@/server/monitoring/delivery-rates";

const draftInput = z.object({
  name: z.string().trim().min(1, "expected a name for the broadcast, e.g. Oferta de San Juan").max(120),
  templateName: z.string().trim().min(1, "expected an approved template, e.g. po_notification"),
  language: z.string().trim().min(2).max(10).optional(),
  parameters: z.array(parameterSourceSchema).max(20),
  audience: audienceSchema,
});

const byId = z.object({ broadcastId: z.string().min(1, "expected the broadcast id") });

/** A bakery's broadcasts; the tenant is always the session's. */
export const broadcastsRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listBroadcasts({ db: ctx.db, tenantId: ctx.tenantId })),
  preview: tenantProcedure.input(draftInput).query(({ ctx, input }) => previewBroadcast({ db: ctx.db, tenantId: ctx.tenantId, input })),
  /** the draft's cost by today's rate card and the conversations it opens (issue 17), shown with the preview */
  estimateCost: tenantProcedure
    .input(draftInput)
    .query(({ ctx, input }) => estimateBroadcastCost({ db: ctx.db, tenantId: ctx.tenantId, input })),
  create: tenantProcedure
    .input(draftInput)
    .mutation(({ ctx, input }) => createBroadcast({ db: ctx.db, tenantId: ctx.tenantId, userId: ctx.user.id, input })),
  start: tenantProcedure.input(byId).mutation(({ ctx, input }) =>
    startBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  pause: tenantProcedure.input(byId).mutation(({ ctx, input }) =>
    pauseBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  resume: tenantProcedure.input(byId).mutation(({ ctx, input }) =>
    resumeBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  cancel: tenantProcedure.input(byId).mutation(({ ctx, input }) =>
    cancelBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  progress: tenantProcedure
    .input(byId)
    .query(({ ctx, input }) => broadcastProgress({ db: ctx.db, tenantId: ctx.tenantId, broadcastId: input.broadcastId })),
  /** Its delivery, read and opt-out rates against the alert thresholds (monitoring/delivery-rates.ts). */
  rates: tenantProcedure
    .input(byId)
    .query(({ ctx, input }) => broadcastRatesWithThresholds({ db: ctx.db, tenantId: ctx.tenantId, broadcastId: input.broadcastId })),
});
