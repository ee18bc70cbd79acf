/**
 * Shared-account model: the platform admin assigns the master WABA's numbers to bakeries, one number
 * per bakery and one bakery per number. Both rules live in the database (whatsapp_settings: primary key on the
 * tenant, unique index on the number); the code turns a violation into an error that names who holds what.
 */
import { Prisma } from "@/generated/prisma/client";
import { writeAudit, type Actor } from "@/server/audit/audit";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

type NumberState = {
  status: string | null;
  platformType: string | null;
  healthStatus: string | null;
  codeVerificationStatus: string | null;
};

/** Why assigning this number deserves a second look; empty when it can send today. */
/** Why assigning a number deserves a second look, as codes the UI words (admin.json `warning.<code>`). */
export type AssignmentWarningCode = "banned" | "notRegistered" | "blocked";

const assignmentWarningText: Record<AssignmentWarningCode, string> = {
  banned: "This number is banned by WhatsApp: nothing sent from it will be delivered.",
  notRegistered: "This number is not registered with the Cloud API yet: sends will fail until its registration completes.",
  blocked: "Meta reports this number as blocked from sending (health status BLOCKED).",
};

export function assignmentWarningCodes(number: NumberState): AssignmentWarningCode[] {
  const codes: AssignmentWarningCode[] = [];
  if (number.status === "BANNED") codes.push("banned");
  if (number.platformType === "NOT_APPLICABLE" || number.status === "PENDING" || number.codeVerificationStatus === "NOT_VERIFIED") {
    codes.push("notRegistered");
  }
  // BLOCKED health is the consequence of the two above when they apply; say it only when it is the news
  if (number.healthStatus === "BLOCKED" && codes.length === 0) codes.push("blocked");
  return codes;
}

/** The same warnings in English, for the REST answer and the audit trail. */
export function assignmentWarnings(number: NumberState): string[] {
  return assignmentWarningCodes(number).map((code) => assignmentWarningText[code]);
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export type AssignmentResult = {
  tenantId: string;
  tenantName: string;
  phoneNumberId: string;
  metaPhoneNumberId: string;
  displayPhoneNumber: string;
  alreadyAssigned: boolean;
};

export async function assignPhoneNumber({
  db,
  actor,
  tenantId,
  phoneNumberId,
  acknowledgeWarnings = false,
}: {
  db: Db;
  actor: Actor;
  tenantId: string;
  phoneNumberId: string;
  acknowledgeWarnings?: boolean;
}): Promise<AssignmentResult> {
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true } });
      if (!tenant) throw new AppError("NOT_FOUND", "No bakery with this id.", { tenantId });
      const number = await tx.phoneNumber.findUnique({
        where: { id: phoneNumberId },
        include: { assignment: { select: { tenantId: true, tenant: { select: { name: true } } } } },
      });
      if (!number) throw new AppError("NOT_FOUND", "No phone number with this id in the shared account.", { phoneNumberId });
      const result = {
        tenantId,
        tenantName: tenant.name,
        phoneNumberId: number.id,
        metaPhoneNumberId: number.metaPhoneNumberId,
        displayPhoneNumber: number.displayPhoneNumber,
      };

      if (number.assignment?.tenantId === tenantId) return { ...result, alreadyAssigned: true };
      if (number.assignment) throw numberTakenError(number.displayPhoneNumber, number.assignment.tenantId, number.assignment.tenant.name);

      const warnings = assignmentWarnings(number);
      if (warnings.length > 0 && !acknowledgeWarnings) {
        throw new AppError("CONFIRMATION_REQUIRED", `${number.displayPhoneNumber} cannot send yet. Confirm to assign it anyway.`, {
          warnings,
          warning_codes: assignmentWarningCodes(number),
        });
      }

      await tx.whatsAppSettings.upsert({ where: { tenantId }, create: { tenantId }, update: {} });
      // Conditional update: if another admin gave this bakery a number a moment ago, zero rows change.
      const updated = await tx.whatsAppSettings.updateMany({ where: { tenantId, phoneNumberId: null }, data: { phoneNumberId } });
      if (updated.count === 0) {
        const current = await tx.whatsAppSettings.findUnique({
          where: { tenantId },
          select: { phoneNumber: { select: { displayPhoneNumber: true } } },
        });
        throw new AppError(
          "CONFLICT",
          `${tenant.name} already has ${current?.phoneNumber?.displayPhoneNumber ?? "a number"}. Unassign it first: a bakery has one number.`,
          { tenantId, tenantName: tenant.name, currentNumber: current?.phoneNumber?.displayPhoneNumber ?? null },
        );
      }
      await writeAudit(tx, {
        actor,
        action: "phone_number.assigned",
        tenantId,
        targetType: "phone_number",
        targetId: number.id,
        before: { phoneNumberId: null },
        after: { phoneNumberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId, displayPhoneNumber: number.displayPhoneNumber },
        metadata: warnings.length ? { acknowledgedWarnings: warnings } : undefined,
      });
      return { ...result, alreadyAssigned: false };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another admin assigned this number to another bakery between our read and our write: name the winner.
    const holder = await db.whatsAppSettings.findUnique({
      where: { phoneNumberId },
      select: { tenantId: true, tenant: { select: { name: true } }, phoneNumber: { select: { displayPhoneNumber: true } } },
    });
    throw numberTakenError(
      holder?.phoneNumber?.displayPhoneNumber ?? "This number",
      holder?.tenantId ?? null,
      holder?.tenant.name ?? "another bakery",
    );
  }
}

function numberTakenError(displayPhoneNumber: string, holderTenantId: string | null, holderName: string) {
  return new AppError("CONFLICT", `${displayPhoneNumber} is already assigned to another bakery: ${holderName}. Unassign it there first.`, {
    assignedTenantId: holderTenantId,
    assignedTenantName: holderName,
  });
}

export async function unassignPhoneNumber({ db, actor, tenantId }: { db: Db; actor: Actor; tenantId: string }) {
  return db.$transaction(async (tx) => {
    const settings = await tx.whatsAppSettings.findUnique({
      where: { tenantId },
      include: { tenant: { select: { name: true } }, phoneNumber: true },
    });
    if (!settings) throw new AppError("NOT_FOUND", "No bakery with this id.", { tenantId });
    const number = settings.phoneNumber;
    if (!number) {
      throw new AppError("NOT_FOUND", `${settings.tenant.name} has no phone number assigned.`, {
        tenantId,
        tenantName: settings.tenant.name,
      });
    }
    const updated = await tx.whatsAppSettings.updateMany({ where: { tenantId, phoneNumberId: number.id }, data: { phoneNumberId: null } });
    if (updated.count === 0)
      throw new AppError("CONFLICT", "The assignment changed while you were unassigning it. Reload and try again.", { tenantId });
    await writeAudit(tx, {
      actor,
      action: "phone_number.unassigned",
      tenantId,
      targetType: "phone_number",
      targetId: number.id,
      before: { phoneNumberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId, displayPhoneNumber: number.displayPhoneNumber },
      after: { phoneNumberId: null },
    });
    return {
      tenantId,
      tenantName: settings.tenant.name,
      phoneNumberId: number.id,
      metaPhoneNumberId: number.metaPhoneNumberId,
      displayPhoneNumber: number.displayPhoneNumber,
    };
  });
}
