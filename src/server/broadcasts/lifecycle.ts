/**
 * Broadcasts, for the owner of a bakery (the tenant always comes from the session).
 *
 * A broadcast is created as a draft with its template, parameters and audience; the preview shows the rendered
 * message and how many people it will really reach. Starting it records every recipient once (one INSERT …
 * SELECT, in the same transaction as the status change and the job that fans it out), so a double click or a
 * retried request cannot record anyone twice. Sending is src/server/broadcasts/sending.ts.
 *
 * A draft with `scheduledAt` is scheduled: typed as a date and time in the bakery's time zone, it can be moved or
 * cancelled until then, and the scheduled-broadcasts job (jobs.ts, every minute) starts it once it is due.
 */
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { raiseAlert } from "@/server/alerts/alerts";
import { writeAudit, type Actor, type Tx } from "@/server/audit/audit";
import {
  audienceCondition,
  countAudience,
  eligibleContact,
  normalizeCsvPhones,
  type Audience,
  type AudienceCounts,
} from "@/server/broadcasts/audience";
import { parametersSql, renderBody, renderParameters, type ParameterSource } from "@/server/broadcasts/parameters";
import { jobEvents } from "@/server/jobs/events";
import { enqueueJob } from "@/server/jobs/outbox";
import { checkTemplate, loadSendingNumber } from "@/server/messaging/send";
import { instantOf, wallTimeOf, type WallTime } from "@/lib/zoned-time";
import { checkBroadcastResume, checkBroadcastStart, estimateAudienceCost } from "@/server/broadcasts/guards";

export type BroadcastDraftInput = {
  name: string;
  templateName: string;
  /** defaults to the bakery's message language */
  language?: string;
  parameters: ParameterSource[];
  audience: Audience;
  /** start at this date and time in the bakery's time zone instead of now */
  schedule?: WallTime;
};

async function tenantRegion(db: Db, tenantId: string) {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { defaultRegion: true } });
  return tenant.defaultRegion;
}

/** The furthest ahead a broadcast can be scheduled. */
export const maxScheduleAheadDays = 90;

/** The instant a schedule means in the bakery's time zone; refused when it does not exist or is not ahead. */
export async function scheduledInstant(db: Db, tenantId: string, schedule: WallTime, now = new Date()): Promise<Date> {
  const { timeZone } = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true } });
  const at = instantOf(schedule, timeZone);
  if (!at) {
    throw new AppError(
      "VALIDATION_FAILED",
      `The date and time ${schedule.date} ${schedule.time} do not exist in ${timeZone} (the clocks skip that hour, or the date is not real): choose another, e.g. 09:00.`,
      {
        field: "schedule",
        expected: "a real date (YYYY-MM-DD) and time (HH:MM)",
        example: { date: "2026-12-24", time: "09:00" },
        time_zone: timeZone,
      },
    );
  }
  if (at.getTime() <= now.getTime() + 60_000) {
    throw new AppError("VALIDATION_FAILED", `The start must be at least a minute from now in ${timeZone}.`, {
      field: "schedule",
      expected: "a date and time in the future",
      time_zone: timeZone,
    });
  }
  if (at.getTime() > now.getTime() + maxScheduleAheadDays * 86_400_000) {
    throw new AppError("VALIDATION_FAILED", `A broadcast can be scheduled at most ${maxScheduleAheadDays} days ahead.`, {
      field: "schedule",
      expected: `a date within ${maxScheduleAheadDays} days`,
    });
  }
  return at;
}

/** Checks that the bakery can send this template with these parameters; the same refusals as a single send. */
async function validateDraft(db: Db, tenantId: string, input: BroadcastDraftInput) {
  const from = await loadSendingNumber({ db, tenantId });
  const content = {
    kind: "template" as const,
    templateName: input.templateName,
    language: input.language,
    parameters: input.parameters.map(() => "x"),
  };
  const { language, template } = await checkTemplate(db, from, content);
  return { from, language, template };
}

export async function createBroadcast({
  db,
  tenantId,
  userId,
  input,
}: {
  db: Db;
  tenantId: string;
  userId: string | null;
  input: BroadcastDraftInput;
}) {
  const { from, language } = await validateDraft(db, tenantId, input);
  const scheduledAt = input.schedule ? await scheduledInstant(db, tenantId, input.schedule) : null;
  return db.broadcast.create({
    data: {
      tenantId,
      name: input.name,
      templateName: input.templateName,
      templateLanguage: language,
      parameterSources: input.parameters as Prisma.InputJsonValue,
      audience: input.audience as Prisma.InputJsonValue,
      phoneNumberId: from.phoneNumberId,
      createdById: userId,
      scheduledAt,
    },
    select: { id: true, status: true, scheduledAt: true },
  });
}

async function ownBroadcast(db: Db, tenantId: string, broadcastId: string) {
  const broadcast = await db.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
  if (!broadcast) throw new AppError("NOT_FOUND", "Broadcast not found.", { broadcast_id: broadcastId });
  return broadcast;
}

export type BroadcastPreview = AudienceCounts & {
  /** the message as the first recipient will read it */
  renderedBody: string;
  sampleRecipient: string | null;
  templateName: string;
  language: string;
};

/** What will be sent and to how many, without sending or saving anything. */
export async function previewBroadcast({
  db,
  tenantId,
  input,
}: {
  db: Db;
  tenantId: string;
  input: BroadcastDraftInput;
}): Promise<BroadcastPreview> {
  const { language, template } = await validateDraft(db, tenantId, input);
  const region = await tenantRegion(db, tenantId);
  const counts = await countAudience({ db, tenantId, audience: input.audience, region });
  const csv = input.audience.kind === "csv" ? normalizeCsvPhones(input.audience.phones, region).e164 : [];
  const [sample] = await db.$queryRaw<{ name: string | null; phoneE164: string }[]>`
    SELECT c."name", c."phoneE164" FROM "contacts" c
    WHERE ${audienceCondition(tenantId, input.audience, csv)} AND ${eligibleContact}
    ORDER BY c."createdAt", c."id" LIMIT 1`;
  const values = renderParameters(input.parameters, sample ?? { name: null, phoneE164: "+34600000000" });
  return {
    ...counts,
    renderedBody: renderBody(template.bodyText, template.parameterNames, values),
    sampleRecipient: sample ? (sample.name ?? sample.phoneE164) : null,
    templateName: input.templateName,
    language,
  };
}

/** What the draft would cost by today's rate card, and how many conversations it opens (for the preview). */
export async function estimateBroadcastCost({ db, tenantId, input }: { db: Db; tenantId: string; input: BroadcastDraftInput }) {
  const { template } = await validateDraft(db, tenantId, input);
  const region = await tenantRegion(db, tenantId);
  return estimateAudienceCost({ db, tenantId, audience: input.audience, region, category: template.category });
}

/**
 * Records every recipient once and hands the broadcast to the fan-out. Starting a broadcast that already started
 * changes nothing and answers its current state.
 */
type LifecycleArgs = { db: Db; tenantId: string; broadcastId: string; /** who did it; "system" when a job does */ actor?: Actor };
/** The scheduled-broadcasts job starts a draft only if it is still scheduled by then (not moved later meanwhile). */
type StartArgs = LifecycleArgs & { dueBy?: Date };

const systemActor: Actor = { userId: null, label: "system" };

async function auditTransition(
  tx: Tx,
  {
    actor,
    tenantId,
    broadcastId,
    action,
    from,
    to,
    extra,
  }: { actor?: Actor; tenantId: string; broadcastId: string; action: string; from: string; to: string; extra?: Record<string, number> },
) {
  await writeAudit(tx, {
    actor: actor ?? systemActor,
    action,
    tenantId,
    targetType: "broadcast",
    targetId: broadcastId,
    before: { status: from },
    after: { status: to, ...extra },
  });
}

export async function startBroadcast({ db, tenantId, broadcastId, actor, dueBy }: StartArgs) {
  const draft = await ownBroadcast(db, tenantId, broadcastId);
  if (draft.status !== "DRAFT") return { id: draft.id, status: draft.status, total: draft.total, alreadyStarted: true };
  if (dueBy && !(draft.scheduledAt && draft.scheduledAt <= dueBy))
    return { id: draft.id, status: draft.status, total: draft.total, alreadyStarted: false, notDue: true };
  const input = {
    name: draft.name,
    templateName: draft.templateName,
    language: draft.templateLanguage,
    parameters: draft.parameterSources as ParameterSource[],
    audience: draft.audience as Audience,
  };
  const { from, template } = await validateDraft(db, tenantId, input); // the template may have been paused since the draft
  const region = await tenantRegion(db, tenantId);
  const counts = await countAudience({ db, tenantId, audience: input.audience, region });
  if (counts.eligible === 0) {
    throw new AppError("VALIDATION_FAILED", "Nobody in this audience can receive the broadcast: no contact has opted in.", {
      ...counts,
      field: "audience",
    });
  }
  // the bakery's share of the shared account's limit today, and the quality guard for marketing (broadcasts/guards.ts)
  await checkBroadcastStart({ db, tenantId, audience: input.audience, region, category: template.category });
  const csv = input.audience.kind === "csv" ? normalizeCsvPhones(input.audience.phones, region).e164 : [];

  return db.$transaction(
    async (tx) => {
      const claimed = await tx.broadcast.updateMany({
        where: { id: draft.id, status: "DRAFT", ...(dueBy ? { scheduledAt: { lte: dueBy } } : {}) },
        data: { status: "SENDING", startedAt: new Date(), phoneNumberId: from.phoneNumberId },
      });
      if (claimed.count === 0) {
        const current = await tx.broadcast.findUniqueOrThrow({ where: { id: draft.id } });
        return { id: current.id, status: current.status, total: current.total, alreadyStarted: true };
      }
      const total = await tx.$executeRaw`
        INSERT INTO "broadcast_recipients" ("id", "broadcastId", "seq", "contactId", "phoneE164", "name", "parameters")
        SELECT gen_random_uuid()::text, ${draft.id}, row_number() OVER (ORDER BY c."createdAt", c."id"), c."id", c."phoneE164", c."name",
               ${parametersSql(input.parameters)}
        FROM "contacts" c
        WHERE ${audienceCondition(tenantId, input.audience, csv)} AND ${eligibleContact}
        ON CONFLICT DO NOTHING`;
      await tx.broadcast.update({
        where: { id: draft.id },
        data: {
          total,
          excludedOptedOut: counts.excludedOptedOut,
          excludedNotOnWhatsApp: counts.excludedNotOnWhatsApp,
          excludedInvalid: counts.excludedInvalid,
        },
      });
      await auditTransition(tx, {
        actor,
        tenantId,
        broadcastId: draft.id,
        action: "broadcast.start",
        from: "DRAFT",
        to: "SENDING",
        extra: { total },
      });
      await enqueueJob(tx, {
        id: `broadcast-started:${draft.id}`,
        event: jobEvents.broadcastStarted,
        data: { broadcastId: draft.id, tenantId },
      });
      return { id: draft.id, status: "SENDING" as const, total, alreadyStarted: false };
    },
    { timeout: 120_000 },
  );
}

export async function pauseBroadcast({ db, tenantId, broadcastId, actor }: LifecycleArgs) {
  await ownBroadcast(db, tenantId, broadcastId);
  await db.$transaction(async (tx) => {
    const changed = await tx.broadcast.updateMany({ where: { id: broadcastId, status: "SENDING" }, data: { status: "PAUSED" } });
    if (changed.count === 0)
      throw new AppError("CONFLICT", "Only a broadcast that is sending can be paused.", { broadcast_id: broadcastId });
    await auditTransition(tx, { actor, tenantId, broadcastId, action: "broadcast.pause", from: "SENDING", to: "PAUSED" });
  });
}

export async function resumeBroadcast({ db, tenantId, broadcastId, actor }: LifecycleArgs) {
  const broadcast = await ownBroadcast(db, tenantId, broadcastId);
  if (broadcast.status === "PAUSED") {
    const template = await db.messageTemplate.findFirst({
      where: {
        language: broadcast.templateLanguage,
        OR: [{ name: broadcast.templateName }, { tenantName: broadcast.templateName, ownerTenantId: tenantId }],
      },
      select: { category: true },
    });
    await checkBroadcastResume({ db, tenantId, broadcastId, category: template?.category ?? null });
  }
  await db.$transaction(async (tx) => {
    const changed = await tx.broadcast.updateMany({ where: { id: broadcastId, status: "PAUSED" }, data: { status: "SENDING" } });
    if (changed.count === 0) throw new AppError("CONFLICT", "Only a paused broadcast can be resumed.", { broadcast_id: broadcastId });
    await auditTransition(tx, { actor, tenantId, broadcastId, action: "broadcast.resume", from: "PAUSED", to: "SENDING" });
    await enqueueJob(tx, { event: jobEvents.broadcastResumed, data: { broadcastId, tenantId } });
  });
}

/** Stops further sends: recipients not sent yet are marked cancelled; messages already accepted by Meta stay. */
export async function cancelBroadcast({ db, tenantId, broadcastId, actor }: LifecycleArgs) {
  await ownBroadcast(db, tenantId, broadcastId);
  await db.$transaction(async (tx) => {
    // the status it had, read under the row lock the cancel takes anyway
    const [current] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status"::text FROM "broadcasts" WHERE "id" = ${broadcastId} FOR UPDATE`;
    const changed = await tx.broadcast.updateMany({
      where: { id: broadcastId, status: { in: ["DRAFT", "SENDING", "PAUSED"] } },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    if (changed.count === 0) throw new AppError("CONFLICT", "This broadcast has already finished.", { broadcast_id: broadcastId });
    await auditTransition(tx, {
      actor,
      tenantId,
      broadcastId,
      action: "broadcast.cancel",
      from: current?.status ?? "unknown",
      to: "CANCELLED",
    });
    await tx.broadcastRecipient.updateMany({ where: { broadcastId, status: "PENDING" }, data: { status: "CANCELLED" } });
    await enqueueJob(tx, { event: jobEvents.broadcastCancelled, data: { broadcastId, tenantId } });
  });
}

/** Moves a scheduled broadcast (or schedules a draft) to another date and time in the bakery's time zone. */
export async function rescheduleBroadcast({
  db,
  tenantId,
  broadcastId,
  schedule,
  actor,
  now = new Date(),
}: LifecycleArgs & { schedule: WallTime; now?: Date }) {
  const draft = await ownBroadcast(db, tenantId, broadcastId);
  const at = await scheduledInstant(db, tenantId, schedule, now);
  return db.$transaction(async (tx) => {
    const changed = await tx.broadcast.updateMany({
      where: { id: broadcastId, status: "DRAFT" },
      data: { scheduledAt: at, stoppedReason: null },
    });
    if (changed.count === 0)
      throw new AppError("CONFLICT", "This broadcast has already started or was cancelled: its start can no longer be changed.", {
        broadcast_id: broadcastId,
      });
    await writeAudit(tx, {
      actor: actor ?? systemActor,
      action: "broadcast.schedule",
      tenantId,
      targetType: "broadcast",
      targetId: broadcastId,
      before: { scheduledAt: draft.scheduledAt?.toISOString() ?? null },
      after: { scheduledAt: at.toISOString() },
    });
    return { id: broadcastId, scheduledAt: at };
  });
}

/** What an owner can still change on a draft (for the edit form): the same fields as when it was created. */
export async function broadcastDraft({ db, tenantId, broadcastId }: { db: Db; tenantId: string; broadcastId: string }) {
  const draft = await ownBroadcast(db, tenantId, broadcastId);
  const { timeZone } = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true } });
  return {
    id: draft.id,
    status: draft.status,
    name: draft.name,
    templateName: draft.templateName,
    language: draft.templateLanguage,
    parameters: draft.parameterSources as ParameterSource[],
    audience: draft.audience as Audience,
    scheduledAt: draft.scheduledAt,
    schedule: draft.scheduledAt ? wallTimeOf(draft.scheduledAt, timeZone) : null,
  };
}

const notEditable = (broadcastId: string) =>
  new AppError("CONFLICT", "This broadcast has already started or was cancelled: it can no longer be changed.", {
    broadcast_id: broadcastId,
  });

/**
 * Changes a draft (scheduled or not) until it starts: name, template and language, blanks, audience and start, with
 * the same checks as creating it. Without `schedule` the start stays as it was. Refused once it has started or was
 * cancelled (the job may start it meanwhile: the change is written only while it is still a draft). Audited.
 */
export async function updateBroadcast({
  db,
  tenantId,
  broadcastId,
  input,
  actor,
  now = new Date(),
}: LifecycleArgs & { input: BroadcastDraftInput; now?: Date }) {
  const current = await ownBroadcast(db, tenantId, broadcastId);
  if (current.status !== "DRAFT") throw notEditable(broadcastId);
  const { from, language } = await validateDraft(db, tenantId, input);
  const scheduledAt = input.schedule ? await scheduledInstant(db, tenantId, input.schedule, now) : current.scheduledAt;
  const after = {
    name: input.name,
    templateName: input.templateName,
    templateLanguage: language,
    parameterSources: input.parameters as Prisma.InputJsonValue,
    audience: input.audience as Prisma.InputJsonValue,
    scheduledAt: scheduledAt?.toISOString() ?? null,
  };
  return db.$transaction(async (tx) => {
    const changed = await tx.broadcast.updateMany({
      where: { id: broadcastId, tenantId, status: "DRAFT" },
      data: { ...after, scheduledAt, phoneNumberId: from.phoneNumberId, ...(input.schedule ? { stoppedReason: null } : {}) },
    });
    if (changed.count === 0) throw notEditable(broadcastId);
    await writeAudit(tx, {
      actor: actor ?? systemActor,
      action: "broadcast.edit",
      tenantId,
      targetType: "broadcast",
      targetId: broadcastId,
      before: {
        name: current.name,
        templateName: current.templateName,
        templateLanguage: current.templateLanguage,
        parameterSources: current.parameterSources as Prisma.InputJsonValue,
        audience: current.audience as Prisma.InputJsonValue,
        scheduledAt: current.scheduledAt?.toISOString() ?? null,
      },
      after,
    });
    return { id: broadcastId, status: "DRAFT" as const, scheduledAt };
  });
}

/**
 * The scheduled-broadcasts job: starts every scheduled draft whose time has come. A start refused (the template
 * was paused meanwhile, nobody in the audience can receive it any more) takes the draft off the schedule with the
 * reason kept in `stoppedReason`, so the owner sees why and the job does not try it again every minute.
 */
export async function startDueBroadcasts({ db, now = new Date() }: { db: Db; now?: Date }) {
  const due = await db.broadcast.findMany({
    where: { status: "DRAFT", scheduledAt: { lte: now } },
    select: { id: true, tenantId: true },
    orderBy: { scheduledAt: "asc" },
    take: 100,
  });
  const results: { broadcastId: string; started?: boolean; refused?: string }[] = [];
  for (const b of due) {
    try {
      const started = await startBroadcast({ db, tenantId: b.tenantId, broadcastId: b.id, dueBy: now });
      results.push({ broadcastId: b.id, started: !started.alreadyStarted && !("notDue" in started) });
    } catch (error) {
      // anything but a refusal (the database away for a moment) leaves it scheduled: the next minute tries again
      if (!(error instanceof AppError)) {
        results.push({ broadcastId: b.id, refused: "retry_next_minute" });
        continue;
      }
      const code = error.code;
      await db.broadcast.updateMany({
        where: { id: b.id, status: "DRAFT", scheduledAt: { lte: now } },
        data: { scheduledAt: null, stoppedReason: `scheduled_start_refused:${code}` },
      });
      results.push({ broadcastId: b.id, refused: code });
    }
  }
  return { due: due.length, results };
}

/** Stops a broadcast whose first batch failed entirely, and tells the admin (alert) and the owner (its status). */
export async function stopBroadcast({
  db,
  broadcastId,
  reason,
  details,
}: {
  db: Db;
  broadcastId: string;
  reason: string;
  details: Prisma.InputJsonObject;
}) {
  const broadcast = await db.broadcast.findUniqueOrThrow({ where: { id: broadcastId }, include: { tenant: { select: { name: true } } } });
  const changed = await db.broadcast.updateMany({
    where: { id: broadcastId, status: { in: ["SENDING", "PAUSED"] } },
    data: { status: "STOPPED", stoppedReason: reason, finishedAt: new Date() },
  });
  if (changed.count === 0) return;
  await db.broadcastRecipient.updateMany({ where: { broadcastId, status: "PENDING" }, data: { status: "CANCELLED" } });
  await raiseAlert({
    db,
    kind: "broadcast_stopped",
    severity: "CRITICAL",
    dedupeKey: `broadcast_stopped:${broadcastId}`,
    tenantId: broadcast.tenantId,
    phoneNumberId: broadcast.phoneNumberId ?? undefined,
    title: `${broadcast.tenant.name}: broadcast "${broadcast.name}" stopped`,
    message: `Every message of its first batch failed (${reason}), so Recado stopped it before it could harm the number. Fix the cause, then the owner can start a new broadcast.`,
    details: { broadcastId, ...details },
    params: {
      bakery: broadcast.tenant.name,
      broadcast: broadcast.name,
      reason,
      errorCode: typeof details.appErrorCode === "string" ? details.appErrorCode : null,
    },
  });
}
