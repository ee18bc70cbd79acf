/** GET / POST /{waba-id}/message_templates https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview. */
import type { SimulatorCore } from "./core";
import { graphErrors } from "./graph-errors";
import { ok, paginate, parseFields, selectFields, stringParam, type GraphRequest, type GraphResponse } from "./graph-request";
import type { SimTemplate } from "./state";

const defaultTemplateFields = ["name", "parameter_format", "components", "language", "status", "category", "id"] as const;
const knownTemplateFields = [
  "id",
  "name",
  "language",
  "status",
  "category",
  "components",
  "parameter_format",
  "quality_score",
  "rejected_reason",
  "sub_category",
  "previous_category",
  "health_status",
] as const;
const categories = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;

function templateNode(core: SimulatorCore, template: SimTemplate): Record<string, unknown> {
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    status: template.status,
    category: template.category,
    components: template.components,
    parameter_format: template.parameterFormat,
    quality_score: { score: template.qualityScore, date: Math.floor(core.now() / 1000) },
    rejected_reason: template.rejectedReason,
    health_status: templateHealthStatus(core, template),
  };
}

/**
 * health_status of a template (Meta: support/health-status): the template entity from its status and quality,
 * then its account, business and app; the overall value is the worst of them.
 */
function templateHealthStatus(core: SimulatorCore, template: SimTemplate) {
  const blocked = template.status !== "APPROVED";
  const limited = !blocked && template.qualityScore === "RED";
  const availability = blocked ? "BLOCKED" : limited ? "LIMITED" : "AVAILABLE";
  const entity = {
    entity_type: "MESSAGE_TEMPLATE",
    id: template.id,
    can_send_message: availability,
    ...(blocked
      ? {
          errors: [
            {
              error_code: template.status === "PAUSED" ? 132015 : template.status === "DISABLED" ? 132016 : 132001,
              error_description: `The template is ${template.status.toLowerCase()} and cannot be sent.`,
              possible_solution: "Edit the template or wait for its review, then send it again.",
            },
          ],
        }
      : {}),
    ...(limited ? { additional_info: ["The template's quality is low; it may be paused if it stays low."] } : {}),
  };
  return { can_send_message: availability, entities: [entity, ...core.accountHealthEntities(template.wabaId)] };
}

/** GET /{template-id} (Meta: templates/template-management): the template node, `fields` as on the list. */
export function getTemplate(core: SimulatorCore, request: GraphRequest, template: SimTemplate): GraphResponse {
  accountFor(core, request, template.wabaId);
  const fields = parseFields(request.query.get("fields"));
  return ok(selectFields(templateNode(core, template), fields, defaultTemplateFields, knownTemplateFields, "WhatsAppMessageTemplate"));
}

/** DELETE /{template-id}: deletes that one template (one language). */
export function deleteTemplateNode(core: SimulatorCore, request: GraphRequest, template: SimTemplate): GraphResponse {
  accountFor(core, request, template.wabaId);
  core.state.templates.delete(template.id);
  return ok({ success: true });
}

/**
 * DELETE /{waba-id}/message_templates?name=…[&hsm_id=…] (Meta: templates/template-management): by name deletes
 * every language of the template; with hsm_id only that one. Unknown name → 100.
 */
export function deleteTemplates(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = accountFor(core, request, wabaId);
  const name = request.query.get("name") ?? stringParam(request, "name");
  if (!name) throw graphErrors.invalidParameter("The parameter name is required.");
  const hsmId = request.query.get("hsm_id") ?? stringParam(request, "hsm_id");
  const matching = [...core.state.templates.values()].filter((t) => t.wabaId === waba.id && t.name === name && (!hsmId || t.id === hsmId));
  if (matching.length === 0) throw graphErrors.invalidParameter(`No template named ${name}${hsmId ? ` with id ${hsmId}` : ""}.`);
  for (const template of matching) core.state.templates.delete(template.id);
  return ok({ success: true });
}

function accountFor(core: SimulatorCore, request: GraphRequest, wabaId: string) {
  const auth = core.authenticate(request.token);
  const waba = core.state.wabas.get(wabaId);
  if (!waba) throw graphErrors.objectNotFound(wabaId, request.method);
  core.authorize(auth, waba.id, wabaId, request.method, "whatsapp_business_management");
  return waba;
}

export function listTemplates(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = accountFor(core, request, wabaId);
  const fields = parseFields(request.query.get("fields"));
  // Filters are case-insensitive in practice (docs use status=approved against APPROVED).
  const statuses = request.query
    .get("status")
    ?.toUpperCase()
    .split(",")
    .map((s) => s.trim());
  const name = request.query.get("name");
  const language = request.query.get("language");
  const templates = [...core.state.templates.values()].filter(
    (t) =>
      t.wabaId === waba.id &&
      (!statuses || statuses.includes(t.status)) &&
      (!name || t.name.includes(name)) &&
      (!language || t.language === language),
  );
  const page = paginate(request, templates);
  return ok({
    ...page,
    data: page.data.map((t) =>
      selectFields(templateNode(core, t), fields, defaultTemplateFields, knownTemplateFields, "WhatsAppMessageTemplate"),
    ),
  });
}

function componentsParam(request: GraphRequest): Record<string, unknown>[] {
  let value = request.params.components;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw graphErrors.invalidParameter("components must be a JSON array.");
    }
  }
  if (!Array.isArray(value) || value.length === 0) throw graphErrors.invalidParameter("The parameter components is required.");
  return value.map((c) => {
    if (c === null || typeof c !== "object" || typeof (c as { type?: unknown }).type !== "string") {
      throw graphErrors.invalidParameter("Every component needs a type (HEADER, BODY, FOOTER, BUTTONS).");
    }
    return c as Record<string, unknown>;
  });
}

export function createTemplate(core: SimulatorCore, request: GraphRequest, wabaId: string): GraphResponse {
  const waba = accountFor(core, request, wabaId);
  const name = stringParam(request, "name");
  if (!name) throw graphErrors.invalidParameter("The parameter name is required.");
  if (!/^[a-z0-9_]+$/.test(name) || name.length > 512) throw graphErrors.templateNameInvalid();
  const language = stringParam(request, "language");
  if (!language) throw graphErrors.invalidParameter("The parameter language is required.");
  const category = stringParam(request, "category")?.toUpperCase();
  if (!category || !(categories as readonly string[]).includes(category)) {
    throw graphErrors.invalidParameter(`The parameter category must be one of ${categories.join(", ")}.`);
  }
  const components = componentsParam(request);
  const format = stringParam(request, "parameter_format")?.toUpperCase() === "NAMED" ? "NAMED" : "POSITIONAL";
  const duplicate = [...core.state.templates.values()].some((t) => t.wabaId === waba.id && t.name === name && t.language === language);
  if (duplicate) throw graphErrors.templateExists(language);

  const template: SimTemplate = {
    id: core.random.graphId(),
    wabaId: waba.id,
    name,
    language,
    category: category as SimTemplate["category"],
    status: "PENDING",
    rejectedReason: "NONE",
    parameterFormat: format,
    components,
    qualityScore: "UNKNOWN",
  };
  core.state.templates.set(template.id, template);
  core.scheduleTemplateReview(template);
  return ok({ id: template.id, status: template.status, category: template.category });
}
