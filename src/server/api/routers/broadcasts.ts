import { createTRPCRouter, tenantProcedure, z } from "@/server/api/trpc";
import { audienceSchema } from "@/server/broadcasts/audience";
import { parameterSourceSchema } from "@/server/broadcasts/parameters";
import { broadcastProgress, listBroadcasts } from "@/server/broadcasts/progress";
import {
  broadcastDraft,
  cancelBroadcast,
  createBroadcast,
  estimateBroadcastCost,
  pauseBroadcast,
  previewBroadcast,
  rescheduleBroadcast,
  resumeBroadcast,
  startBroadcast,
  updateBroadcast,
} from "@/server/broadcasts/lifecycle";
import { broadcastRatesWithThresholds } from "@/server/monitoring/delivery-rates";
import { planRetry, retryFailedRecipients } from "@/server/broadcasts/retry";
import { wallDatePattern, wallTimePattern } from "@/lib/zoned-time";

/** A start typed in the bakery's time zone. */
const scheduleInput = z.object({
  date: z.string().regex(wallDatePattern, 'expected a date as YYYY-MM-DD, e.g. "2026-12-24"'),
  time: z.string().regex(wallTimePattern, 'expected a time as HH:MM (24 h), e.g. "09:00"'),
});

const draftInput = z.object({
  name: z.string().trim().min(1, "expected a name for the broadcast, e.g. Oferta de Navidad").max(120),
  templateName: z.string().trim().min(1, "expected an approved template, e.g. po_notification"),
  language: z.string().trim().min(2).max(10).optional(),
  parameters: z.array(parameterSourceSchema).max(20),
  audience: audienceSchema,
  /** start later, at this date and time in the bakery's time zone; without it the draft waits for `start` */
  schedule: scheduleInput.optional(),
});

const byId = z.object({ broadcastId: z.string().min(1, "expected the broadcast id") });

/** A bakery's broadcasts; the tenant is always the session's. */
export const broadcastsRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listBroadcasts({ db: ctx.db, tenantId: ctx.tenantId })),
  /** the bakery's time zone (schedules are typed and shown in it) and its name (the sample broadcast name) */
  scheduling: tenantProcedure.query(({ ctx }) =>
    ctx.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { timeZone: true, name: true } }),
  ),
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
  /** moves a scheduled broadcast (until it starts); cancelling one is `cancel` */
  reschedule: tenantProcedure.input(byId.extend({ schedule: scheduleInput })).mutation(({ ctx, input }) =>
    rescheduleBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      schedule: input.schedule,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  /** a draft's template, blanks, audience and start, for the edit form */
  draft: tenantProcedure
    .input(byId)
    .query(({ ctx, input }) => broadcastDraft({ db: ctx.db, tenantId: ctx.tenantId, broadcastId: input.broadcastId })),
  /** changes a draft (its name, template, blanks, audience, start) until it starts; the same checks as `create` */
  update: tenantProcedure.input(byId.extend({ draft: draftInput })).mutation(({ ctx, input }) =>
    updateBroadcast({
      db: ctx.db,
      tenantId: ctx.tenantId,
      broadcastId: input.broadcastId,
      input: input.draft,
      actor: { userId: ctx.user.id, label: ctx.user.email },
    }),
  ),
  /** who "retry failed recipients" would send to, and who not and why */
  retryPlan: tenantProcedure
    .input(byId)
    .query(({ ctx, input }) => planRetry({ db: ctx.db, tenantId: ctx.tenantId, broadcastId: input.broadcastId })),
  retryFailed: tenantProcedure
    .input(byId.extend({ name: z.string().trim().min(1, "expected a name for the retry, e.g. Reintento: Oferta de Navidad").max(120) }))
    .mutation(({ ctx, input }) =>
      retryFailedRecipients({
        db: ctx.db,
        tenantId: ctx.tenantId,
        broadcastId: input.broadcastId,
        name: input.name,
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
