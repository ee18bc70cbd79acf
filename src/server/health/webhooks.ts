/**
 * Health webhooks (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components): they update the same state as the health poll, through
 * applyHealthUpdate, so a change shows up without waiting for the next poll. They never call Meta: a number
 * whose token awaits re-authorization still has its webhooks applied (nothing is dropped).
 */
import type { AlertSeverity } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { raiseAlert } from "@/server/alerts/alerts";
import { applyHealthUpdate, type HealthChanges } from "@/server/health/health";
import { jobEvents } from "@/server/jobs/events";
import { enqueueJob } from "@/server/jobs/outbox";
import type { StoredWebhookItem, WebhookHandlers } from "@/server/webhooks/dispatch";

type Value = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : typeof v === "number" ? String(v) : undefined);
const digits = (v: string) => v.replace(/\D/g, "");

/** Numbers of the item's account; `displayPhoneNumber` narrows to one (Meta sends it as digits). */
async function numbersFor(db: Db, item: StoredWebhookItem, displayPhoneNumber?: string) {
  const where: Prisma.PhoneNumberWhereInput = item.phoneNumberId
    ? { metaPhoneNumberId: item.phoneNumberId }
    : item.wabaId
      ? { businessAccount: { wabaId: item.wabaId } }
      : { id: "__none__" };
  const rows = await db.phoneNumber.findMany({
    where,
    select: { id: true, displayPhoneNumber: true, metaPhoneNumberId: true, assignment: { select: { tenantId: true } } },
  });
  return displayPhoneNumber ? rows.filter((r) => digits(r.displayPhoneNumber) === digits(displayPhoneNumber)) : rows;
}

async function note(db: Db, phoneNumberId: string, item: StoredWebhookItem, field: string, value: string | undefined, details: Value) {
  await db.phoneNumberHealthEvent.create({
    data: {
      phoneNumberId,
      source: "webhook",
      field,
      newValue: value ?? null,
      details: { webhookField: item.field, ...details } as Prisma.InputJsonValue,
      createdAt: item.occurredAt ?? new Date(),
    },
  });
}

// phone_number_quality_update: ONBOARDING / THROUGHPUT_UPGRADE now; FLAGGED / UNFLAGGED / UPGRADE / DOWNGRADE in
// older revisions (accepted, unknown events are only recorded). The payload never carries the quality rating
// (Meta: webhooks/reference/phone_number_quality_update), so every such webhook also queues a health check of the
// number at once: the rating (and its alert) follow within seconds instead of at the next 5-minute poll. The
// check is a job (it calls Meta; the webhook handler never does), keyed by the item so a re-run queues nothing new.
async function onQualityUpdate(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as Value;
  const display = str(value.displayPhoneNumber);
  const event = str(value.event) ?? "UNKNOWN";
  const limit = str(value.currentLimit) ?? str(value.maxDailyConversationsPerBusiness);
  const changes: HealthChanges = {};
  if (limit && limit !== "TIER_NOT_SET") changes.messagingLimit = limit;
  if (event === "THROUGHPUT_UPGRADE") changes.throughputLevel = "HIGH";
  if (event === "FLAGGED") changes.status = "FLAGGED";
  for (const number of await numbersFor(db, item, display)) {
    const current = await db.phoneNumber.findUniqueOrThrow({ where: { id: number.id }, select: { status: true } });
    const numberChanges = { ...changes, ...(event === "UNFLAGGED" && current.status === "FLAGGED" ? { status: "CONNECTED" } : {}) };
    const { changed } = await applyHealthUpdate({
      db,
      phoneNumberId: number.id,
      changes: numberChanges,
      source: "webhook",
      details: { webhookField: item.field, event },
    });
    if (changed.length === 0) await note(db, number.id, item, "qualityEvent", event, { currentLimit: limit ?? null });
    await enqueueJob(db, {
      event: jobEvents.numberHealthCheck,
      id: `quality-webhook:${item.id}:${number.id}`,
      data: { phoneNumberId: number.id },
    });
  }
}

const accountEventSeverity: Record<string, AlertSeverity> = {
  ACCOUNT_RESTRICTION: "CRITICAL",
  ACCOUNT_VIOLATION: "CRITICAL",
  DISABLED_UPDATE: "CRITICAL",
  ACCOUNT_DELETED: "CRITICAL",
  PARTNER_REMOVED: "CRITICAL",
  ACCOUNT_OFFBOARDED: "CRITICAL",
};

async function onAccountUpdate(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as { event?: string; phoneNumber?: string; details?: Value };
  const event = value.event ?? "UNKNOWN";
  const numbers = await numbersFor(db, item, value.phoneNumber);
  const banState = JSON.stringify((value.details?.banInfo as Value | undefined)?.wabaBanState ?? "");
  for (const number of numbers) {
    if (event === "DISABLED_UPDATE" && banState.includes("DISABLE")) {
      await applyHealthUpdate({
        db,
        phoneNumberId: number.id,
        changes: { status: "BANNED" },
        source: "webhook",
        details: { webhookField: item.field, event },
      });
    } else if (event === "DISABLED_UPDATE" && banState.includes("REINSTATE")) {
      await applyHealthUpdate({
        db,
        phoneNumberId: number.id,
        changes: { status: "CONNECTED" },
        source: "webhook",
        details: { webhookField: item.field, event },
      });
    }
    await note(db, number.id, item, "accountEvent", event, value.details ?? {});
  }
  const severity = accountEventSeverity[event];
  if (severity) {
    await raiseAlert({
      db,
      kind: "account_update",
      severity,
      dedupeKey: `account_update:${item.wabaId}:${event}`,
      tenantId: numbers.length === 1 ? numbers[0]!.assignment?.tenantId : undefined,
      phoneNumberId: numbers.length === 1 ? numbers[0]!.id : undefined,
      title: `WhatsApp account ${item.wabaId ?? ""}: ${event.replaceAll("_", " ").toLowerCase()}`,
      message:
        "Meta changed the standing of this WhatsApp Business Account. Open WhatsApp Manager to read the details and what Meta asks you to do.",
      details: { event, ...(value.details ?? {}) } as Prisma.InputJsonValue,
      params: { account: item.wabaId ?? "", event },
    });
  }
}

/**
 * phone_number_name_update: the display-name decision, applied to the numbers' health (and an alert on a
 * rejection). Returns the numbers and the decision, so registration (which owns the field's handler, in
 * src/server/registration/webhooks.ts) can register a number the approval unblocks.
 */
export async function applyNameDecision(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as Value;
  const decision = str(value.decision) ?? "UNKNOWN";
  const nameStatus = { APPROVED: "APPROVED", REJECTED: "DECLINED", PENDING: "PENDING_REVIEW", DEFERRED: "PENDING_REVIEW" }[decision];
  const numbers = await numbersFor(db, item, str(value.displayPhoneNumber));
  for (const number of numbers) {
    await applyHealthUpdate({
      db,
      phoneNumberId: number.id,
      changes: {
        ...(nameStatus ? { nameStatus } : {}),
        ...(decision === "APPROVED" && str(value.requestedVerifiedName) ? { verifiedName: str(value.requestedVerifiedName)! } : {}),
      },
      source: "webhook",
      details: { webhookField: item.field, decision, rejectionReason: str(value.rejectionReason) ?? null },
    });
    if (decision === "REJECTED") {
      await raiseAlert({
        db,
        kind: "name_rejected",
        severity: "WARNING",
        dedupeKey: `name_rejected:${number.metaPhoneNumberId}`,
        phoneNumberId: number.id,
        tenantId: number.assignment?.tenantId,
        title: `${number.displayPhoneNumber}: display name rejected`,
        message: `Meta rejected the display name (${str(value.rejectionReason) ?? "no reason given"}). Submit another name in WhatsApp Manager; registration cannot finish until one is approved.`,
        params: { number: number.displayPhoneNumber, reason: str(value.rejectionReason) ?? null },
      });
    }
  }
  return { decision, numberIds: numbers.map((n) => n.id) };
}

async function onAccountAlert(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as { entityType?: string; entityId?: string; alertInfo?: Value };
  const info = value.alertInfo ?? {};
  const numbers =
    value.entityType === "PHONE_NUMBER" && value.entityId
      ? await numbersFor(db, { ...item, phoneNumberId: value.entityId })
      : await numbersFor(db, item);
  for (const number of numbers) await note(db, number.id, item, "accountAlert", str(info.alertType), info);
  const severity = str(info.alertSeverity);
  if (severity === "CRITICAL" || severity === "WARNING") {
    await raiseAlert({
      db,
      kind: "account_alert",
      severity,
      dedupeKey: `account_alert:${value.entityId ?? item.wabaId}:${str(info.alertType)}`,
      title: `Meta alert: ${(str(info.alertType) ?? "account alert").replaceAll("_", " ").toLowerCase()}`,
      message: str(info.alertDescription) ?? "Meta raised an alert on this account. Open WhatsApp Manager for details.",
      details: value as Prisma.InputJsonValue,
      params: { alertType: str(info.alertType) ?? null, description: str(info.alertDescription) ?? null },
    });
  }
}

async function onAccountReview(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as Value;
  const decision = str(value.decision);
  for (const number of await numbersFor(db, item)) await note(db, number.id, item, "accountReview", decision, value);
  if (decision === "REJECTED") {
    await raiseAlert({
      db,
      kind: "account_review",
      severity: "CRITICAL",
      dedupeKey: `account_review:${item.wabaId}`,
      title: `WhatsApp account ${item.wabaId ?? ""} was rejected in review`,
      message: "Meta rejected the account review: its numbers cannot send. Read the reason in WhatsApp Manager and request another review.",
      params: { account: item.wabaId ?? "" },
    });
  }
}

async function onCapabilityUpdate(item: StoredWebhookItem, { db }: { db: Db }) {
  const value = item.payload as Value;
  const limit = str(value.maxDailyConversationsPerBusiness);
  for (const number of await numbersFor(db, item)) {
    if (limit)
      await applyHealthUpdate({
        db,
        phoneNumberId: number.id,
        changes: { messagingLimit: limit },
        source: "webhook",
        details: { webhookField: item.field },
      });
    else await note(db, number.id, item, "capability", undefined, value);
  }
}

/** The health fields, by webhook field (listed in src/server/wiring); phone_number_name_update is registration's. */
export const healthWebhookHandlers = {
  phone_number_quality_update: onQualityUpdate,
  account_update: onAccountUpdate,
  account_alerts: onAccountAlert,
  account_review_update: onAccountReview,
  business_capability_update: onCapabilityUpdate,
} satisfies WebhookHandlers;
